using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EventBooking.ApiService.Validation;

/// <summary>
/// The names an enum has on the wire (kebab-case, or a <see cref="JsonStringEnumMemberNameAttribute"/>), so that
/// requests can carry them as strings and an unknown value becomes a validation error rather than a JSON failure.
/// </summary>
public static class WireEnum<TEnum> where TEnum : struct, Enum
{
    private static readonly FrozenDictionary<string, TEnum> ByName = Enum.GetValues<TEnum>()
        .ToFrozenDictionary(NameOf, value => value, StringComparer.OrdinalIgnoreCase);

    public static IReadOnlyCollection<string> Names { get; } = Enum.GetValues<TEnum>().Select(NameOf).ToArray();

    public static bool TryParse(string? name, out TEnum value) =>
        ByName.TryGetValue(name?.Trim() ?? string.Empty, out value);

    public static TEnum Parse(string name) =>
        TryParse(name, out var value) ? value : throw new ArgumentException($"'{name}' is not a {typeof(TEnum).Name}.", nameof(name));

    public static string NameOf(TEnum value)
    {
        var member = typeof(TEnum).GetField(value.ToString(), BindingFlags.Public | BindingFlags.Static);
        return member?.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name
            ?? JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());
    }
}
