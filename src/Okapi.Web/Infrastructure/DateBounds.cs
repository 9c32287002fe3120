using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Okapi.Core;

namespace Okapi.Web.Infrastructure;

/// <summary>
/// Refuses, with a 400 naming the field, any date or instant outside <see cref="SupportedDates"/> in a route or query
/// parameter, an <c>[AsParameters]</c> group or the body's top-level fields, before the handler computes with it: one
/// place for every endpoint, rather than a check beside each range that the calendar's arithmetic would overflow on.
/// </summary>
public static class DateBounds
{
    public static TBuilder RequireSupportedDates<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        // Through the endpoint builder rather than AddEndpointFilterFactory, to see the metadata that names the body.
        builder.Add(endpoint => endpoint.FilterFactories.Add((context, next) => Filter(context, next, endpoint.Metadata)));
        return builder;
    }

    private static EndpointFilterDelegate Filter(EndpointFilterFactoryContext context, EndpointFilterDelegate next, IList<object> metadata)
    {
        var bodyType = metadata.OfType<IAcceptsMetadata>().FirstOrDefault()?.RequestType;
        var checks = new List<(int Index, string? Name, PropertyInfo[] Properties)>();
        var parameters = context.MethodInfo.GetParameters();
        for (var i = 0; i < parameters.Length; i++)
        {
            var parameter = parameters[i];
            if (IsDate(parameter.ParameterType))
            {
                checks.Add((i, parameter.Name, []));
            }
            else if (parameter.ParameterType == bodyType || parameter.GetCustomAttribute<AsParametersAttribute>() is not null)
            {
                var dates = parameter.ParameterType.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                    .Where(p => p.GetMethod is not null && p.GetIndexParameters().Length == 0 && IsDate(p.PropertyType)).ToArray();
                if (dates.Length > 0)
                {
                    checks.Add((i, null, dates));
                }
            }
        }

        if (checks.Count == 0)
        {
            return next;
        }

        return invocation =>
        {
            Dictionary<string, string[]>? errors = null;
            foreach (var (index, name, properties) in checks)
            {
                var argument = invocation.Arguments[index];
                if (name is not null)
                {
                    Check(argument, name, ref errors);
                    continue;
                }

                if (argument is null)
                {
                    continue;
                }

                foreach (var property in properties)
                {
                    Check(property.GetValue(argument), JsonNamingPolicy.CamelCase.ConvertName(property.Name), ref errors);
                }
            }

            return errors is null ? next(invocation) : ValueTask.FromResult<object?>(TypedResults.ValidationProblem(errors));
        };
    }

    private static void Check(object? value, string field, ref Dictionary<string, string[]>? errors)
    {
        if (SupportedDates.IsOutside(value))
        {
            (errors ??= [])[field] = [SupportedDates.Message];
        }
    }

    private static bool IsDate(Type type) =>
        (Nullable.GetUnderlyingType(type) ?? type) is var t && (t == typeof(DateOnly) || t == typeof(DateTimeOffset) || t == typeof(DateTime));
}
