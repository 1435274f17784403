// The pages' part of the trace. Every span a page makes hangs under the server request that rendered it (its
// <meta name="traceparent">): the document load, the submit of a form and fetches. A submit hands its own context, with
// the page's proof, to the request it causes, so "submit -> POST -> redirect -> next page" is one trace. Spans go to
// Web's same-origin relay as OTLP/JSON, which decides what of them reaches the backend (docs/front-end.md).
import { ROOT_CONTEXT, defaultTextMapGetter, trace } from '@opentelemetry/api';
import { ZoneContextManager } from '@opentelemetry/context-zone';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { DocumentLoadInstrumentation } from '@opentelemetry/instrumentation-document-load';
import { FetchInstrumentation } from '@opentelemetry/instrumentation-fetch';
import { UserInteractionInstrumentation } from '@opentelemetry/instrumentation-user-interaction';
import { BatchSpanProcessor, ParentBasedSampler, AlwaysOnSampler, WebTracerProvider } from '@opentelemetry/sdk-trace-web';

const meta = (name) => document.querySelector(`meta[name="${name}"]`)?.content;
const relay = meta('otel-relay');
const propagator = new W3CTraceContextPropagator();
const pageContext = propagator.extract(ROOT_CONTEXT, { traceparent: meta('traceparent') }, defaultTextMapGetter);

// A span started outside any other (a person's submit, a fetch) belongs to the page, as its document load does: the
// user-interaction instrumentation starts its spans from the active context, which is the root in an event's dispatch.
class PageContextManager extends ZoneContextManager {
  active() {
    const active = super.active();
    return active === ROOT_CONTEXT ? pageContext : active;
  }
}

// The span of the submit (the user-interaction instrumentation's, active in this listener) becomes the parent of the
// request it causes. A native form submission cannot carry a header a script adds, and the server span starts before
// the body is read, so the context travels in a cookie for the form's path only; Web continues it only with the proof
// it wrote into this page, and deletes the cookie when it is used.
function handSubmitContextToRequest(event) {
  const span = trace.getActiveSpan();
  const proof = meta('traceparent-proof');
  const cookie = meta('otel-context-cookie');
  if (!span || !proof || !cookie || event.defaultPrevented) {
    return;
  }

  const { traceId, spanId, traceFlags } = span.spanContext();
  // A button's formAction is the page's address when it has no formaction of its own; the form's action is then meant.
  const action = new URL(event.submitter?.hasAttribute('formaction') ? event.submitter.formAction : event.target.action, location.href);
  const traceparent = `00-${traceId}-${spanId}-0${traceFlags & 1}`;
  document.cookie = `${cookie}=${traceparent}.${proof}; path=${action.pathname}; max-age=30; samesite=strict`;
}

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
  provider.register({ contextManager: new PageContextManager(), propagator });

  registerInstrumentations({
    instrumentations: [
      new DocumentLoadInstrumentation(),
      // It traces the listeners a page adds: the one below makes each form's submit a span.
      new UserInteractionInstrumentation({ eventNames: ['submit'] }),
      // Same-origin fetches carry a traceparent; Web's trust boundary links them rather than continuing them.
      new FetchInstrumentation({ ignoreUrls: [new RegExp(relay.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '$')] }),
    ],
  });

  document.addEventListener('submit', handSubmitContextToRequest);

  // Leaving the page (the submit's navigation) must not lose the click that caused it.
  addEventListener('pagehide', () => provider.forceFlush());
}
