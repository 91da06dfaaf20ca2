import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { addressKey } from '../../src/domain/tickets/address';
import { Org, orgSchema } from '../../src/domain/org';
import { explains, type ReportedPlace } from '../../src/domain/outages';
import type { Outage } from '../../src/domain/tickets/session';

/** Which published outage explains a fault report (so no crew is sent), read against the county of the example. */
const org = new Org(1, orgSchema.parse(JSON.parse(readFileSync('config/org.example.json', 'utf8'))));
const HOUR = 3_600_000;
const now = new Date('2026-11-24T06:00:00Z');

function outage(fields: Partial<Outage>): Outage {
  return {
    id: 1, no: 'TD20261124-0001', kind: 'temporary', areas: ['城关镇'], line: null, voltage_kv: null,
    starts_at: new Date(now.getTime() - 2 * HOUR), restore_at: new Date(now.getTime() + 2 * HOUR), cause: '线路检修',
    key_customers: null, remarks: null, source_ticket_id: null, published_by: 'wangfang', published_at: new Date(now.getTime() - 3 * HOUR),
    ended_at: null, scope: 'areas', places: [], renewed_at: null,
    ...fields,
  };
}
const at = (area: string, address: string, line: string | null = null): ReportedPlace => ({ area, addressKey: addressKey(address), line });

describe('a desk notice', () => {
  it('naming only a town explains every report in the town', () => {
    expect(explains(org, outage({}), at('城关镇', '滨河路2号'), now)).toBe(true);
  });

  it('naming a line and the streets it feeds does not explain a report in another street of the town', () => {
    const lineNotice = outage({ line: '10kV青龙线', scope: 'places', places: ['人民路', '建设街'].map(addressKey) });
    expect(explains(org, lineNotice, at('城关镇', '滨河路2号'), now)).toBe(false);
    expect(explains(org, lineNotice, at('城关镇', '人民路8号'), now)).toBe(true);
    expect(explains(org, lineNotice, at('城关镇', '滨河路2号', '10kV青龙线'), now)).toBe(true);
  });

  it('naming a village inside a town explains the village only', () => {
    const village = outage({ areas: ['南溪镇', '石门村'] });
    expect(explains(org, village, at('石门村', '二组'), now)).toBe(true);
    expect(explains(org, village, at('南溪镇', '场镇街5号'), now)).toBe(false);
  });
});

describe('a notice without an expected restore time', () => {
  const open = (age: number, renewedAgo?: number) =>
    outage({ restore_at: null, starts_at: new Date(now.getTime() - age * HOUR), ...(renewedAgo === undefined ? {} : { renewed_at: new Date(now.getTime() - renewedAgo * HOUR) }) });

  it('explains reports for the configured hours from its start, then no more', () => {
    expect(org.doc.routing.openOutageHours).toBe(24);
    expect(explains(org, open(23), at('城关镇', '滨河路2号'), now)).toBe(true);
    expect(explains(org, open(26), at('城关镇', '滨河路2号'), now)).toBe(false);
  });

  it('explains them again once the desk renews it', () => {
    expect(explains(org, open(26, 1), at('城关镇', '滨河路2号'), now)).toBe(true);
  });
});
