// The pages' part of the trace. The document-load spans hang under the server request that rendered the page (its
// <meta name="traceparent">); clicks and fetches are traced too. Spans go to Web's same-origin relay as OTLP/JSON,
// which decides what of them reaches the backend (docs/front-end.md).
import { ZoneContextManager } from '@opentelemetry/context-zone';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { DocumentLoadInstrumentation } from '@opentelemetry/instrumentation-document-load';
import { FetchInstrumentation } from '@opentelemetry/instrumentation-fetch';
import { UserInteractionInstrumentation } from '@opentelemetry/instrumentation-user-interaction';
import { BatchSpanProcessor, ParentBasedSampler, AlwaysOnSampler, WebTracerProvider } from '@opentelemetry/sdk-trace-web';

const relay = document.querySelector('meta[name="otel-relay"]')?.content;

if (relay) {
  const provider = new WebTracerProvider({
    // A page whose server request was not sampled says so in its traceparent; its spans are dropped alike.
    sampler: new ParentBasedSampler({ root: new AlwaysOnSampler() }),
    spanProcessors: [
      new BatchSpanProcessor(new OTLPTraceExporter({ url: relay }), {
        // Within the relay's cap on spans per request, and sent soon: a page is often left within seconds.
        maxExportBatchSize: 50,
        scheduledDelayMillis: 1000,
      }),
    ],
  });
  provider.register({ contextManager: new ZoneContextManager(), propagator: new W3CTraceContextPropagator() });

  registerInstrumentations({
    instrumentations: [
      new DocumentLoadInstrumentation(),
      new UserInteractionInstrumentation({ eventNames: ['click', 'submit'] }),
      // Same-origin fetches carry a traceparent; Web's trust boundary links them rather than continuing them.
      new FetchInstrumentation({ ignoreUrls: [new RegExp(relay.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '$')] }),
    ],
  });

  // Leaving the page (the submit's navigation) must not lose the click that caused it.
  addEventListener('pagehide', () => provider.forceFlush());
}
