using System.Text.Json;
using MassTransit;
using MassTransit.Serialization;

namespace EarlyWarning.ServiceDefaults.Messaging;

/// <summary>
/// MassTransit's JSON envelope around a body the outbox stored: the stored bytes go into "message" as they
/// are, so the dispatcher never deserializes and serializes a batch again (a batch is committed once, as
/// JSON, and published as that JSON).
/// </summary>
internal static class OutboxEnvelope
{
    public static byte[] Write(SendContext context, string messageTypeUrn, ReadOnlySpan<byte> body)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(body.Length + 512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            Write(json, "messageId", context.MessageId);
            Write(json, "correlationId", context.CorrelationId);
            Write(json, "conversationId", context.ConversationId);
            Write(json, "initiatorId", context.InitiatorId);
            if (context.SourceAddress is not null) json.WriteString("sourceAddress", context.SourceAddress.ToString());
            if (context.DestinationAddress is not null) json.WriteString("destinationAddress", context.DestinationAddress.ToString());
            json.WriteStartArray("messageType");
            json.WriteStringValue(messageTypeUrn);
            json.WriteEndArray();
            json.WritePropertyName("message");
            // Validated once when the row is taken (OutboxDispatcher), so the writer need not parse it again.
            json.WriteRawValue(body, skipInputValidation: true);
            json.WriteString("sentTime", context.SentTime ?? DateTime.UtcNow);
            json.WriteStartObject("headers");
            foreach (var header in context.Headers.GetAll())
            {
                if (header.Value is null) continue;
                json.WritePropertyName(header.Key);
                JsonSerializer.Serialize(json, header.Value, header.Value.GetType(), SystemTextJsonMessageSerializer.Options);
            }
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void Write(Utf8JsonWriter json, string name, Guid? value)
    {
        if (value is { } id) json.WriteString(name, id);
    }
}

/// <summary>Hands MassTransit's send pipeline the envelope of a stored body instead of serializing a message object.</summary>
internal sealed class StoredBodySerializer(string messageTypeUrn, ReadOnlyMemory<byte> body) : IMessageSerializer
{
    public System.Net.Mime.ContentType ContentType => SystemTextJsonMessageSerializer.JsonContentType;

    public MessageBody GetMessageBody<T>(SendContext<T> context) where T : class =>
        new BytesMessageBody(OutboxEnvelope.Write(context, messageTypeUrn, body.Span));
}

/// <summary>What the dispatcher sends: only the stored row; its serializer writes the contract's envelope.</summary>
internal sealed record StoredMessage(Guid MessageId, string MessageType);
