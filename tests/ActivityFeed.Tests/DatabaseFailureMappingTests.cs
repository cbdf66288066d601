using ActivityFeed.Api.Infrastructure.Errors;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ActivityFeed.Tests;

/// <summary>A database failure is a 503 (or what its SQLSTATE means) however deep EF and Npgsql wrap it; never a 500.</summary>
public sealed class DatabaseFailureMappingTests
{
    private static readonly NpgsqlException ConnectionLost = new("Exception while reading from stream", new EndOfStreamException());

    public static TheoryData<string, Exception> WrappedConnectionFailures => new()
    {
        { "the failure itself", ConnectionLost },
        { "a save that lost its connection", new DbUpdateException("An error occurred while saving the entity changes.", ConnectionLost) },
        { "EF's transient-failure wrapper", new InvalidOperationException("An exception has been raised that is likely due to a transient failure.", ConnectionLost) },
        { "two levels down", new InvalidOperationException("outer", new DbUpdateException("inner", ConnectionLost)) },
        { "a timeout", new DbUpdateException("timed out", new TimeoutException()) },
    };

    [Theory]
    [MemberData(nameof(WrappedConnectionFailures))]
    public void ALostConnectionIs503WithRetryAfterWhereverItIsWrapped(string _, Exception exception)
    {
        var answer = PostgresErrors.FromException(exception);
        Assert.NotNull(answer);
        Assert.Equal(503, answer.Status);
        Assert.Equal(1, answer.RetryAfterSeconds);
    }

    [Fact]
    public void ADatabaseErrorDecidesByItsSqlStateEvenInsideAConnectionFailure()
    {
        var shutdown = new PostgresException("terminating connection due to administrator command", "FATAL", "FATAL", PostgresErrorCodes.AdminShutdown);
        var unique = new PostgresException("duplicate key", "ERROR", "ERROR", PostgresErrorCodes.UniqueViolation);
        Assert.Equal(503, PostgresErrors.FromException(new DbUpdateException("save", shutdown))!.Status);
        Assert.Equal(409, PostgresErrors.FromException(new InvalidOperationException("outer", new DbUpdateException("save", unique)))!.Status);
    }

    [Fact]
    public void AnExceptionWithNoDatabaseFailureInsideIsNotMapped() =>
        Assert.Null(PostgresErrors.FromException(new InvalidOperationException("a bug", new ArgumentException("bad"))));
}
