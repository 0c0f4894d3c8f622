/**
 * `npm start`: the whole service on one machine. Settings: PORT, ONEWINDOW_DATA_DIR, ONEWINDOW_CLOCK,
 * and ONEWINDOW_DYNAMODB_ENDPOINT with ONEWINDOW_TABLE to use a DynamoDB engine already running.
 */
import { startRuntime } from './runtime';

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a port number, not "${process.env.PORT}"`);
  const dataDir = process.env.ONEWINDOW_DATA_DIR ?? '.data';
  const runtime = await startRuntime({
    port,
    dataDir,
    clockStart: process.env.ONEWINDOW_CLOCK,
    dynamoEndpoint: process.env.ONEWINDOW_DYNAMODB_ENDPOINT || undefined,
    tableName: process.env.ONEWINDOW_TABLE || undefined,
    env: process.env,
    pages: true,
  });
  console.log(
    `OneWindow is listening on ${runtime.url} (data in ${dataDir}, clock ${runtime.clock.now().toISOString()})`,
  );
  console.log(
    `Pages: ${runtime.url}/portal/ (applicants)  ${runtime.url}/console/ (staff)  ${runtime.url}/board/ (supervision)`,
  );
  console.log(`Service guide: ${runtime.url}/items   API: ${runtime.url}/openapi.json`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping`);
    await runtime.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
