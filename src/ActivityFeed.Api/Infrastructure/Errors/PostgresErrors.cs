using Npgsql;

namespace ActivityFeed.Api.Infrastructure.Errors;

/// <summary>SQLSTATE → HTTP. Specific writes (idempotency) catch their own unique violations first.</summary>
public static class PostgresErrors
{
    public static readonly ProblemAnswer Unavailable =
        new(503, "The database is unavailable or overloaded; retry shortly.", RetryAfterSeconds: 1);

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
