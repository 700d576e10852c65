export async function runBenchCli(_args: string[]): Promise<void> {
  throw new Error('bench: not available yet')
}
