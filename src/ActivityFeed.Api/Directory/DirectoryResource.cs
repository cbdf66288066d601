using System.Linq.Expressions;
using ActivityFeed.Api.Data;
using Microsoft.EntityFrameworkCore;

namespace ActivityFeed.Api.Directory;

/// <summary>
/// How one directory collection (users, segments, …) is stored and shown: the seven collections
/// differ only in their fields, so one set of handlers (<see cref="DirectoryApi"/>) serves them all.
/// </summary>
public sealed record DirectoryResource<TEntity, TPut, TResponse>(
    string Collection,
    string Singular,
    string Description,
    Func<ActivityFeedDb, DbSet<TEntity>> Set,
    Func<string, string, TEntity> Create,
    Action<TEntity, TPut> Apply,
    Expression<Func<TEntity, TResponse>> Project)
    where TEntity : DirectoryEntry
{
    private readonly Func<TEntity, TResponse> _project = Project.Compile();

    public TResponse ToResponse(TEntity entity) => _project(entity);
}
