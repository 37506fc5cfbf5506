import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';

/**
 * Env: DATABASE_URL, PORT (3000), HOST (127.0.0.1), POOL_MAX (10); run with NODE_ENV=production.
 */
async function bootstrap() {
  const app = await NestFactory.create(AppModule, { logger: ['error', 'warn'] });
  app.enableShutdownHooks();
  const port = Number(process.env.PORT ?? 3000);
  await app.listen(port, process.env.HOST ?? '127.0.0.1');
  process.stdout.write(`nestjs peer listening on ${port}\n`);
}

void bootstrap();
