using System.Text.Json;
using System.Text.Json.Serialization;
using ActivityFeed.Api.Infrastructure.Errors;

namespace ActivityFeed.Api.Infrastructure.Json;

public sealed class TimestampConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String && Timestamps.TryParse(reader.GetString(), out var value))
        {
            return value;
        }

        throw JsonErrors.ClientError($"Expected {Timestamps.Expectation}.");
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(Timestamps.ToText(value));
}
