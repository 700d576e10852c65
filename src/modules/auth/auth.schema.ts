import { Type } from '@sinclair/typebox'
import { Nullable } from '../../http/schemas.js'

export const Email = Type.String({ format: 'email', maxLength: 254 })
export const Password = Type.String({ minLength: 10, maxLength: 200 })

export const SignupBody = Type.Object(
  { email: Email, password: Password, name: Type.String({ minLength: 1, maxLength: 120 }) },
  { additionalProperties: false },
)
export const LoginBody = Type.Object({ email: Email, password: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false })
export const DevLoginBody = Type.Object({ email: Email }, { additionalProperties: false })

export const Me = Type.Object({
  user: Nullable(
    Type.Object({
      id: Type.Integer(),
      email: Type.String(),
      name: Type.String(),
      is_admin: Type.Boolean(),
      is_approver: Type.Boolean(),
    }),
  ),
  csrf_token: Nullable(Type.String()),
  dev_login: Type.Boolean(),
  sso_login: Type.Boolean({ description: 'Sign-in with the university identity provider is configured' }),
})

export const OidcStartQuery = Type.Object({ return_to: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false })
