import { lazyAliyunSmsTransport } from '../../shared/adapters/sms-aliyun-lazy';
import { awsHandler } from '../../shared/wiring';
import { makeHandler } from './handler';

// The one function that sends SMS, so the one that bundles the SMS provider's SDK (loaded on first use).
export const handler = awsHandler('notify', makeHandler, { aliyunSms: lazyAliyunSmsTransport });
