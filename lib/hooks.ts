import {
  defineTrigger,
  type Bundle,
  type WebhookTriggerPerform,
  type WebhookTriggerPerformList,
  type WebhookTriggerPerformSubscribe,
  type WebhookTriggerPerformUnsubscribe,
  type ZObject,
} from 'zapier-platform-core';
import { eventFilters, matchesFilters, type EventFilters } from '../contract/filters.js';
import type { CreatedSubscription, EventType } from '../contract/index.js';
import { baseUrlOf, callConnector } from './connector.js';
import { outputOf } from './output-shapes.js';
import { alreadyAccepted, REMEMBERED_FOR_SECONDS } from './replays.js';
import { verifyDelivery } from './signature.js';

type FilterField = {
  key: string;
  label: string;
  helpText: string;
  required?: false;
  choices?: Record<string, string>;
  dynamic?: string;
  search?: string;
};

export interface InstantTriggerSpec<E extends EventType> {
  key: string;
  event: E;
  noun: string;
  label: string;
  description: string;
  /** Optional filters the connector applies before delivering; keys are the event's filter keys. */
  filters?: FilterField[];
}

const filtersFrom = (event: EventType, inputData: Record<string, unknown>): EventFilters =>
  Object.fromEntries(
    Object.keys(eventFilters[event])
      .map((key) => [key, inputData[key]])
      .filter(([, value]) => value !== undefined && value !== null && String(value).trim() !== '')
      .map(([key, value]) => [key, String(value).trim()]),
  );

const readable = (event: EventType) => event.replace('.', ' ').replace(/_/g, ' ');

/**
 * One REST-hook trigger per contact-centre event: each Zap gets its own subscription, with
 * its own signing secret kept in `subscribeData`, and every delivery is verified before use
 * and accepted once (a verified copy replayed within the timestamp tolerance is ignored).
 */
export function instantTrigger<E extends EventType>(spec: InstantTriggerSpec<E>) {
  const { event } = spec;

  const performSubscribe = (async (z: ZObject, bundle: Bundle) =>
    callConnector(z, bundle, 'subscribe', {
      body: { event, targetUrl: bundle.targetUrl, filters: filtersFrom(event, bundle.inputData) },
      action: `subscribe to ${readable(event)} events`,
      fieldLabels: Object.fromEntries((spec.filters ?? []).map((f) => [`filters.${f.key}`, f.label])),
    })) satisfies WebhookTriggerPerformSubscribe;

  const performUnsubscribe = (async (z: ZObject, bundle: Bundle) => {
    const id = (bundle.subscribeData as CreatedSubscription | undefined)?.id;
    if (!id) return {};
    // Already gone (the account was deleted, or the connector ended it after a 410): nothing to undo.
    const ended = await callConnector(z, bundle, 'unsubscribe', {
      params: { id },
      action: `unsubscribe from ${readable(event)} events`,
      notFoundIsEmpty: true,
    });
    return ended ?? {};
  }) satisfies WebhookTriggerPerformUnsubscribe;

  const performList = (async (z: ZObject, bundle: Bundle) => {
    const { data } = await callConnector(z, bundle, 'recentEvents', {
      query: { event, limit: 25 },
      action: `load recent ${readable(event)} events`,
    });
    const filters = filtersFrom(event, bundle.inputData);
    return data.filter((payload) => matchesFilters(event, payload, filters));
  }) satisfies WebhookTriggerPerformList;

  const perform = (async (z: ZObject, bundle: Bundle) => {
    // Zapier hands every hook delivery over with its request (cleanedRequest always, rawRequest
    // for the signature check); only `zapier-platform invoke trigger` calls perform with neither.
    // There is nothing to verify then, so answer with the recent items, as performList does.
    if (bundle.rawRequest === undefined && bundle.cleanedRequest === undefined) return performList(z, bundle);
    const { id: subscriptionId = '', secret } = (bundle.subscribeData ?? {}) as Partial<CreatedSubscription>;
    if (!secret) {
      throw new z.errors.Error(
        'This Zap has no signing secret for its subscription, so deliveries cannot be checked. Turn the Zap off and on again to subscribe anew.',
      );
    }
    const verified = await verifyDelivery(secret, bundle.rawRequest);
    if (!verified.ok) {
      throw new z.errors.HaltedError(`Ignored a delivery that could not be verified as coming from the contact centre: ${verified.reason}.`);
    }
    const payload = verified.payload as { event?: string };
    if (payload?.event !== event) {
      throw new z.errors.HaltedError(`Ignored a "${payload?.event}" delivery sent to the ${spec.label} trigger.`);
    }
    const { webhookId } = verified;
    if (await alreadyAccepted(z, { connector: baseUrlOf(bundle.authData), subscriptionId, webhookId })) {
      throw new z.errors.HaltedError(
        `Ignored a replayed delivery: webhook-id ${webhookId} was already accepted by this Zap in the last ${REMEMBERED_FOR_SECONDS / 60} minutes.`,
      );
    }
    return [payload];
  }) satisfies WebhookTriggerPerform;

  return defineTrigger({
    key: spec.key,
    noun: spec.noun,
    display: { label: spec.label, description: spec.description },
    operation: {
      type: 'hook',
      inputFields: (spec.filters ?? []).map((f) => ({ ...f, required: false, altersDynamicFields: false })),
      performSubscribe,
      performUnsubscribe,
      perform,
      performList,
      ...outputOf(event),
    },
  });
}
