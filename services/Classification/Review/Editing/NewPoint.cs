namespace EarlyWarning.Classification.Review.Editing;

/// <summary>A place to add to a gazetteer (policy/places), with the fields of <see cref="Policy.PointFile"/>.</summary>
internal sealed record NewPoint(string Code, string Name, string Kind, string? Neighbour, double? Lat, double? Lon, IReadOnlyList<string> Aliases);
