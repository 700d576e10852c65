import fp from 'fastify-plugin'
import { LiveModel } from '../../cache/live-model.js'
import { type Directory, directorySource } from './directory.model.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** The public directory as one in-memory model of this instance (clubs, tags, badges). */
    directory: LiveModel<Directory>
  }
}

/** One directory model per instance, shared by the routes derived from it. */
export const directoryPlugin = fp(async (app) => {
  const { runtime } = app
  const model = new LiveModel(directorySource(runtime.db), runtime.cache.engine)
  app.decorate('directory', model)
  app.addHook('onClose', async () => model.close())
})
