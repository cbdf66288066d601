using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace ActivityFeed.Api.Data;

/// <summary>Lets `dotnet ef` build the model without starting the web host or reaching a database.</summary>
public sealed class DesignTimeDbFactory : IDesignTimeDbContextFactory<ActivityFeedDb>
{
    public ActivityFeedDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<ActivityFeedDb>()
            .UseNpgsql("Host=localhost;Database=activityfeed_design")
            .UseSnakeCaseNamingConvention()
            .Options);
}
