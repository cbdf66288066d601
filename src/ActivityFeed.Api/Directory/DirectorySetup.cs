namespace ActivityFeed.Api.Directory;

public static class DirectorySetup
{
    /// <summary>What other features use of the directory: entries for rows read without their joins.</summary>
    public static IServiceCollection AddDirectory(this IServiceCollection services) =>
        services.AddScoped<DirectoryEnricher>();
}
