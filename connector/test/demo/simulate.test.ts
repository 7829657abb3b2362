import { eventPayloads, type EventType } from '../../../contract/index.js';
import { runSimulation, simulationOptionsFrom, UsageError } from '../../src/demo/simulate.js';
import { startConnector } from '../support/connector.js';

describe('the simulator', () => {
  it('drives the contact centre over HTTP: every action succeeds and records valid events', async () => {
    const connector = await startConnector({}, { seed: true });
    try {
      const lines: string[] = [];
      const result = await runSimulation({
        baseUrl: connector.baseUrl,
        ...connector.account,
        rate: 50,
        count: 60,
        print: (line) => lines.push(line),
        signal: new AbortController().signal,
      });
      expect(lines.filter((line) => line.startsWith('!'))).toEqual([]);
      expect(result).toEqual({ done: 60, failed: 0 });
      const events = await connector.takeEvents();
      expect(events.length).toBeGreaterThan(20);
      for (const event of events) eventPayloads[event.type as EventType].parse(event.payload);
    } finally {
      await connector.close();
    }
  });

  it('says which options are missing or wrong', () => {
    expect(() => simulationOptionsFrom({}, {})).toThrow(UsageError);
    expect(() => simulationOptionsFrom({}, {})).toThrow(/--base-url .*--app-id .*--app-token/);
    expect(() => simulationOptionsFrom({ 'base-url': 'localhost:8080', 'app-id': 'a', 'app-token': 't' }, {})).toThrow(/http\(s\) URL/);
    expect(() => simulationOptionsFrom({ 'app-id': 'a', 'app-token': 't', rate: '0' }, { SIMULATE_BASE_URL: 'http://x' })).toThrow(/--rate/);
    expect(simulationOptionsFrom({}, { SIMULATE_BASE_URL: 'http://x/', SIMULATE_APP_ID: 'a', SIMULATE_APP_TOKEN: 't' })).toMatchObject({
      baseUrl: 'http://x',
      rate: 1,
    });
  });
});
