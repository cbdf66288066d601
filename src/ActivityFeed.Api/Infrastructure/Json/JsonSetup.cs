using System.Text.Json;
using System.Text.Json.Serialization;

namespace ActivityFeed.Api.Infrastructure.Json;

public static class JsonSetup
{
    /// <summary>For bodies read as documents rather than bound (PATCH): the same refusal of duplicate members.</summary>
    public static readonly JsonDocumentOptions DocumentOptions = new() { AllowDuplicateProperties = false };

    /// <summary>
    /// The one instance for JSON the server writes or reads outside model binding (jsonb columns, the
    /// directory, metadata schemas, change payloads): the same rules as the HTTP bodies, and one
    /// metadata cache instead of one per caller.
    /// </summary>
    public static readonly JsonSerializerOptions Options = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions();
        Apply(options);
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    public static void Apply(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        // A number is a JSON number: "3" is a type error, as the JSON Schemas of metadata also say.
        options.NumberHandling = JsonNumberHandling.Strict;
        // {"title":"a","title":"b"} is ambiguous, and JsonElement members (metadata) would carry both to the store.
        options.AllowDuplicateProperties = false;
        options.Converters.Add(new TimestampConverter());
    }

    public static IServiceCollection AddActivityFeedJson(this IServiceCollection services) =>
        services.ConfigureHttpJsonOptions(o => Apply(o.SerializerOptions));
}
