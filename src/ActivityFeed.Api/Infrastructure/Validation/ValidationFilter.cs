using FluentValidation;

namespace ActivityFeed.Api.Infrastructure.Validation;

public static class ValidationFilter
{
    /// <summary>
    /// Runs the FluentValidation validator of every handler argument that has one and answers
    /// 400 with the failures keyed by snake_case JSON path before the handler runs.
    /// </summary>
    public static TBuilder WithValidation<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.AddEndpointFilterFactory((factoryContext, next) =>
        {
            var services = factoryContext.ApplicationServices;
            var validated = factoryContext.MethodInfo.GetParameters()
                .Select((parameter, index) => (index, validator: services.GetService(typeof(IValidator<>).MakeGenericType(parameter.ParameterType)) as IValidator))
                .Where(p => p.validator is not null)
                .ToArray();
            if (validated.Length == 0)
            {
                return next;
            }

            return async invocation =>
            {
                foreach (var (index, validator) in validated)
                {
                    if (invocation.Arguments[index] is not { } argument)
                    {
                        continue;
                    }

                    var result = await validator!.ValidateAsync(new ValidationContext<object>(argument), invocation.HttpContext.RequestAborted);
                    if (!result.IsValid)
                    {
                        return TypedResults.ValidationProblem(result.ToDictionary(),
                            detail: "One or more fields are invalid; see errors.");
                    }
                }

                return await next(invocation);
            };
        });
        builder.WithMetadata(new ProducesResponseTypeMetadata(StatusCodes.Status400BadRequest, typeof(HttpValidationProblemDetails), ["application/problem+json"]));
        return builder;
    }

    public static IServiceCollection AddActivityFeedValidation(this IServiceCollection services)
    {
        // Error keys use the JSON names clients send: activities[3].occurred_at, not Activities[3].OccurredAt.
        ValidatorOptions.Global.PropertyNameResolver = (_, member, _) =>
            member is null ? null : System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(member.Name);
        ValidatorOptions.Global.DisplayNameResolver = ValidatorOptions.Global.PropertyNameResolver;
        services.AddValidatorsFromAssemblyContaining<Program>(ServiceLifetime.Singleton, includeInternalTypes: true);
        return services;
    }
}
