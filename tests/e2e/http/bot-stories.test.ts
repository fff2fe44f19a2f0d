/** bot-stories.test.ts again, every interaction delivered as a signed HTTP POST to `npm run start:http`'s endpoint. */
import { useTransport } from '../../support/bot-harness.js';

useTransport('http');
await import('../bot-stories.test.js');
