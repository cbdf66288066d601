using Npgsql;

namespace ActivityFeed.Api.Infrastructure.Errors;

/// <summary>SQLSTATE → HTTP. Specific writes (idempotency) catch their own unique violations first.</summary>
public static class PostgresErrors
{
    public static readonly ProblemAnswer Unavailable =
        new(503, "The database is unavailable or overloaded; retry shortly.", RetryAfterSeconds: 1);

    /// <summary>
    /// What a failure wrapped anywhere in <paramref name="exception"/> means for the client: EF and
    /// Npgsql wrap the database's errors (a failed save, a transient failure, a broken connection)
    /// at different depths. A database error decides; else a lost connection or a timeout is a 503.
    /// Null when no database failure is inside.
    /// </summary>
    public static ProblemAnswer? FromException(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is PostgresException pg)
            {
                return Map(pg);
            }
        }

        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is NpgsqlException or TimeoutException)
            {
                return Unavailable;
            }
        }

        return null;
    }

    /// <summary>Null for errors that are our bugs: those stay 500s and are logged.</summary>
    public static ProblemAnswer? Map(PostgresException exception) => exception.SqlState switch
    {
        PostgresErrorCodes.UniqueViolation => new(409, "The request conflicts with an existing resource."),
        PostgresErrorCodes.ForeignKeyViolation => new(409, "The request refers to a resource that does not exist or was deleted."),
        PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.LockNotAvailable
            => new(503, "The request collided with a concurrent change; retry it.", RetryAfterSeconds: 1),
        PostgresErrorCodes.NotNullViolation or PostgresErrorCodes.CheckViolation
            or PostgresErrorCodes.StringDataRightTruncation or PostgresErrorCodes.InvalidTextRepresentation
            or PostgresErrorCodes.NumericValueOutOfRange or PostgresErrorCodes.DatetimeFieldOverflow
            or PostgresErrorCodes.InvalidDatetimeFormat or PostgresErrorCodes.ProgramLimitExceeded
            or PostgresErrorCodes.UntranslatableCharacter or PostgresErrorCodes.CharacterNotInRepertoire
            => new(400, "A value in the request is out of the range the server stores."),
        // Connection exceptions, insufficient resources, operator intervention.
        var state when state.StartsWith("08", StringComparison.Ordinal) || state.StartsWith("53", StringComparison.Ordinal)
            || state.StartsWith("57", StringComparison.Ordinal) => Unavailable,
        _ => null,
    };
}
