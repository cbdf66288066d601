using ActivityFeed.Api.Data;
using Npgsql;

namespace ActivityFeed.Tests;

public sealed class ConnectionDefaultsTests
{
    [Fact]
    public void AStringThatDoesNotChooseGetsPreparedStatementsAndNoResetOnClose()
    {
        var settings = new NpgsqlConnectionStringBuilder(DatabaseSetup.WithHotPathDefaults("Host=db;Username=app;Database=feed"));

        Assert.True(settings.MaxAutoPrepare > 0);
        Assert.True(settings.NoResetOnClose);
        Assert.Equal("db", settings.Host);
    }

    [Theory]
    [InlineData("Host=db;Max Auto Prepare=0;No Reset On Close=false")]
    [InlineData("Host=db;maxautoprepare=0;NoResetOnClose=false")]
    public void AStringThatChoosesKeepsItsChoice(string connectionString)
    {
        var settings = new NpgsqlConnectionStringBuilder(DatabaseSetup.WithHotPathDefaults(connectionString));

        Assert.Equal(0, settings.MaxAutoPrepare);
        Assert.False(settings.NoResetOnClose);
    }
}
