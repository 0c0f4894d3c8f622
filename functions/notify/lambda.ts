import { aliyunSmsTransport } from '../../shared/adapters/sms-aliyun';
import { awsHandler } from '../../shared/wiring';
import { makeHandler } from './handler';

// The one function that sends SMS, so the one that bundles the SMS provider's SDK.
export const handler = awsHandler('notify', makeHandler, { aliyunSms: aliyunSmsTransport });
