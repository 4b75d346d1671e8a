namespace EarlyWarning.Anonymization.Agreements;

/// <summary>
/// Rounding to a base. Rules, for every rounded cell: the result is a multiple of the base; it differs from
/// the true count by less than the base; zero and multiples of the base are unchanged. Totals are rounded
/// independently of their parts (as Statistics New Zealand does), so a rounded total differs from the sum of
/// its n rounded parts by less than (n + 1) × base.
/// Random rounding goes up with probability (count mod base) / base, so it is unbiased. Its "random" draw
/// is a hash of the agreement, the cell and the count: re-publishing an unchanged count gives the same
/// result, so repeated releases cannot be averaged to recover the count.
/// </summary>
public static class Rounding
{
    public static long Round(string agreementId, CellKey key, string table, long count, RoundingRule rule)
    {
        var remainder = count % rule.Base;
        if (remainder == 0) return count;
        var down = count - remainder;
        if (!rule.Random) return remainder * 2 >= rule.Base ? down + rule.Base : down;
        var draw = Uniform($"{agreementId}|{table}|{key.Group.Period:yyyy-MM-dd}|{key.Group.BorderPoint}|{key.Group.Nationality}|{key.Group.Category}|{key.Sex}|{key.AgeGroup}|{count}");
        return draw < (double)remainder / rule.Base ? down + rule.Base : down;
    }

    /// <summary>A uniform number in [0, 1) from a text: FNV-1a, then SplitMix64's finalizer to spread the bits.</summary>
    private static double Uniform(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var ch in text)
        {
            hash ^= ch;
            hash *= 1099511628211UL;
        }
        hash ^= hash >> 30;
        hash *= 0xbf58476d1ce4e5b9UL;
        hash ^= hash >> 27;
        hash *= 0x94d049bb133111ebUL;
        hash ^= hash >> 31;
        return (hash >> 11) * (1.0 / (1UL << 53));
    }
}
