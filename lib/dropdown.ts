import { defineTrigger, type Bundle, type PollingTriggerPerform, type ZObject } from 'zapier-platform-core';
import type { EndpointName, ResponseOf } from '../contract/index.js';
import { callConnector } from './connector.js';

type ListEndpoint = { [N in EndpointName]: ResponseOf<N> extends { data: unknown[] } ? N : never }[EndpointName];
type ItemOf<N extends ListEndpoint> = ResponseOf<N> extends { data: (infer T)[] } ? T : never;

export interface DropdownSpec<N extends ListEndpoint> {
  key: string;
  noun: string;
  endpoint: N;
  /** Query built from the inputs of the action the dropdown sits in (e.g. the chosen number type). */
  query?: (inputData: Record<string, unknown>) => Record<string, string | undefined>;
  /** Each choice needs a string `id` and a readable `name`. */
  toChoice: (item: ItemOf<N>) => { id: string; name: string } & Record<string, unknown>;
  sample: { id: string; name: string } & Record<string, unknown>;
}

/** A hidden trigger that feeds a dynamic dropdown ("trigger.id.name"). */
export function dropdownTrigger<N extends ListEndpoint>(spec: DropdownSpec<N>) {
  const perform = (async (z: ZObject, bundle: Bundle) => {
    const { data } = (await callConnector(z, bundle, spec.endpoint, {
      query: spec.query?.(bundle.inputData),
      action: `list ${spec.noun.toLowerCase()}s`,
    })) as { data: ItemOf<N>[] };
    return data.map(spec.toChoice);
  }) satisfies PollingTriggerPerform;

  return defineTrigger({
    key: spec.key,
    noun: spec.noun,
    display: {
      label: `List ${spec.noun}s`,
      description: `Lists ${spec.noun.toLowerCase()}s for a dropdown.`,
      hidden: true,
    },
    operation: { type: 'polling', perform, sample: spec.sample },
  });
}

/** The `dynamic` reference of a dropdown trigger: "key.id.name". */
export const dropdownOf = (trigger: { key: string }) => `${trigger.key}.id.name`;
