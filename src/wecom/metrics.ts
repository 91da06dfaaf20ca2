import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The transport's Prometheus series, on the app's registry (`/metrics`). */
export interface WecomMetrics {
  framesRejected: Counter<'reason'>;
  framesIgnored: Counter<'what'>;
  inboundDuplicates: Counter;
  inboundFailed: Counter;
  handleSeconds: Histogram;
  outboxSent: Counter<'channel'>;
  outboxRetried: Counter<'channel' | 'errcode'>;
  outboxFailed: Counter<'channel'>;
  connected: Gauge;
  holder: Gauge;
}

/** Get-or-create, so two transports in one process (tests, the sandbox) can share a registry. */
export function wecomMetrics(registry: Registry): WecomMetrics {
  const counter = <L extends string>(name: string, help: string, labelNames: L[] = []) =>
    (registry.getSingleMetric(name) as Counter<L> | undefined) ?? new Counter({ name, help, labelNames, registers: [registry] });
  const gauge = (name: string, help: string) =>
    (registry.getSingleMetric(name) as Gauge | undefined) ?? new Gauge({ name, help, registers: [registry] });
  return {
    framesRejected: counter('wecom_frames_rejected_total', 'WeCom frames refused as malformed, by reason', ['reason']),
    framesIgnored: counter('wecom_frames_ignored_total', 'Valid WeCom frames no handler consumes, by type', ['what']),
    inboundDuplicates: counter('wecom_inbound_duplicates_total', 'Redelivered WeCom messages and events dropped by the inbox'),
    inboundFailed: counter('wecom_inbound_failed_total', 'Inbound events given up after the handler kept failing'),
    handleSeconds:
      (registry.getSingleMetric('wecom_inbound_handle_seconds') as Histogram | undefined) ??
      new Histogram({
        name: 'wecom_inbound_handle_seconds',
        help: 'From a frame reaching the bot to its handler transaction committing',
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
        registers: [registry],
      }),
    outboxSent: counter('wecom_outbox_sent_total', 'Outbox messages WeCom accepted, by channel', ['channel']),
    outboxRetried: counter('wecom_outbox_retried_total', 'Outbox send attempts to be retried, by channel and errcode', [
      'channel',
      'errcode',
    ]),
    outboxFailed: counter('wecom_outbox_failed_total', 'Outbox messages given up, by channel', ['channel']),
    connected: gauge('wecom_connected', '1 while this process holds an authenticated WeCom long connection'),
    holder: gauge('wecom_connection_holder', '1 while this process holds the WeCom connection lock'),
  };
}
