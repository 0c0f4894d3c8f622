/**
 * The Alibaba Cloud SMS transport, loaded on the first message: the provider's SDK is about
 * 1 MB of the notify bundle, and a cold start that evaluates it costs every function instance,
 * also where SMS_PROVIDER is not aliyun (esbuild keeps a dynamic import's module unevaluated
 * until it is called). The notify function and the local runtime both use this one.
 */
import type { AliyunSmsConfig } from '../config';
import type { SmsTransport } from './ports';
import type { AliyunTransportDeps } from './sms-aliyun';

export function lazyAliyunSmsTransport(config: AliyunSmsConfig, deps: AliyunTransportDeps): SmsTransport {
  let transport: Promise<SmsTransport> | undefined;
  return {
    deliver: async (message) => {
      transport ??= import('./sms-aliyun').then((m) => m.aliyunSmsTransport(config, deps));
      return (await transport).deliver(message);
    },
  };
}
