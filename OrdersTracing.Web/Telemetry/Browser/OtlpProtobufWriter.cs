using System.Buffers.Binary;
using System.Text;

namespace OrdersTracing.Web.Telemetry.Browser;

/// <summary>
/// Encodes an <c>ExportTraceServiceRequest</c> (opentelemetry-proto <c>collector/trace/v1</c>) from the relay's own
/// records. The dashboard's OTLP/HTTP takes protobuf only, and the generated OTLP types are internal to the .NET
/// exporter, so the few messages the relay writes are encoded here, field numbers as in <c>trace.proto</c>.
/// </summary>
public static class OtlpProtobufWriter
{
    /// <param name="resource">The relay's resource attributes; a browser's own are never forwarded.</param>
    public static byte[] ExportTraceServiceRequest(IReadOnlyList<BrowserAttribute> resource, IReadOnlyList<BrowserScope> scopes)
    {
        var resourceMessage = Message(w =>
        {
            foreach (var attribute in resource)
            {
                w.Bytes(1, KeyValue(attribute.Key, attribute.Value));
            }
        });
        var resourceSpans = Message(w =>
        {
            w.Bytes(1, resourceMessage);
            foreach (var scope in scopes)
            {
                w.Bytes(2, ScopeSpans(scope));
            }
        });
        return Message(w => w.Bytes(1, resourceSpans));
    }

    private static byte[] ScopeSpans(BrowserScope scope) => Message(w =>
    {
        w.Bytes(1, Message(s =>
        {
            s.String(1, scope.Name);
            s.String(2, scope.Version);
        }));
        foreach (var span in scope.Spans)
        {
            w.Bytes(2, Span(span));
        }
    });

    private static byte[] Span(BrowserSpan span) => Message(w =>
    {
        w.Bytes(1, span.TraceId);
        w.Bytes(2, span.SpanId);
        if (span.ParentSpanId is { } parent)
        {
            w.Bytes(4, parent);
        }

        w.String(5, span.Name);
        w.Varint(6, (ulong)span.Kind);
        w.Fixed64(7, span.StartTimeUnixNano);
        w.Fixed64(8, span.EndTimeUnixNano);
        foreach (var attribute in span.Attributes)
        {
            w.Bytes(9, KeyValue(attribute.Key, attribute.Value));
        }

        foreach (var spanEvent in span.Events)
        {
            w.Bytes(11, Message(e =>
            {
                e.Fixed64(1, spanEvent.TimeUnixNano);
                e.String(2, spanEvent.Name);
            }));
        }

        w.Bytes(15, Message(s =>
        {
            s.String(2, span.StatusMessage);
            s.Varint(3, (ulong)span.StatusCode);
        }));
    });

    private static byte[] KeyValue(string key, object value) => Message(w =>
    {
        w.String(1, key);
        w.Bytes(2, Message(any =>
        {
            switch (value)
            {
                case string text: any.String(1, text); break;
                case bool flag: any.Varint(2, flag ? 1UL : 0UL); break;
                case long integer: any.Varint(3, unchecked((ulong)integer)); break;
                case double real: any.Fixed64(4, BitConverter.DoubleToUInt64Bits(real)); break;
                default: throw new ArgumentException($"An attribute value cannot be a {value.GetType().Name}.", nameof(value));
            }
        }));
    });

    private static byte[] Message(Action<Writer> write)
    {
        var writer = new Writer();
        write(writer);
        return writer.ToArray();
    }

    private sealed class Writer
    {
        private readonly MemoryStream buffer = new();

        public void Varint(int field, ulong value)
        {
            Tag(field, 0);
            WriteVarint(value);
        }

        public void Fixed64(int field, ulong value)
        {
            Tag(field, 1);
            Span<byte> bytes = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
            buffer.Write(bytes);
        }

        public void String(int field, string? value)
        {
            if (value is not null)
            {
                Bytes(field, Encoding.UTF8.GetBytes(value));
            }
        }

        public void Bytes(int field, byte[] value)
        {
            Tag(field, 2);
            WriteVarint((ulong)value.Length);
            buffer.Write(value);
        }

        public byte[] ToArray() => buffer.ToArray();

        private void Tag(int field, int wireType) => WriteVarint((ulong)((field << 3) | wireType));

        private void WriteVarint(ulong value)
        {
            while (value >= 0x80)
            {
                buffer.WriteByte((byte)(value | 0x80));
                value >>= 7;
            }

            buffer.WriteByte((byte)value);
        }
    }
}
