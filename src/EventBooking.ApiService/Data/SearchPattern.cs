namespace EventBooking.ApiService.Data;

/// <summary>LIKE patterns from text a manager typed: their % and _ match themselves, not any text.</summary>
public static class SearchPattern
{
    public const string Escape = @"\";

    /// <summary>Matches values containing <paramref name="text"/>; use with <see cref="Escape"/>.</summary>
    public static string Containing(string text) =>
        $"%{text.Trim().Replace(Escape, Escape + Escape).Replace("%", Escape + "%").Replace("_", Escape + "_")}%";
}
