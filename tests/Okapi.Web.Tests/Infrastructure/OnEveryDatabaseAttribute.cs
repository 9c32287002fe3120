using System.Collections;
using System.Reflection;
using Okapi.Data;
using Xunit.Sdk;

namespace Okapi.Web.Tests.Infrastructure;

/// <summary>
/// Runs a theory once on every database provider Okapi supports, passing the provider as its first argument, followed by
/// this attribute's arguments (as <c>InlineData</c> would) or by each row of the static member named by
/// <see cref="MemberName"/> (as <c>MemberData</c> would). The provider shows in the test's name, so a failure says which
/// database it was.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class OnEveryDatabaseAttribute(params object?[] arguments) : DataAttribute
{
    private static readonly DatabaseProvider[] Providers = Enum.GetValues<DatabaseProvider>();

    /// <summary>A static property, field or method of the test class whose rows are crossed with the providers.</summary>
    public string? MemberName { get; init; }

    public override IEnumerable<object[]> GetData(MethodInfo testMethod)
    {
        var rows = MemberName is null ? [arguments] : RowsOf(testMethod.ReflectedType ?? testMethod.DeclaringType!, MemberName);
        return Providers.SelectMany(provider => rows.Select(row => (object[])[provider, .. row!]));
    }

    private static List<object?[]> RowsOf(Type type, string name)
    {
        const BindingFlags flags = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.FlattenHierarchy;
        var value = type.GetProperty(name, flags)?.GetValue(null)
            ?? type.GetField(name, flags)?.GetValue(null)
            ?? type.GetMethod(name, flags, Type.EmptyTypes)?.Invoke(null, null)
            ?? throw new ArgumentException($"{type.Name} has no static member {name} with rows.");
        return ((IEnumerable)value).Cast<object?[]>().ToList();
    }
}
