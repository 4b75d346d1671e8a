using System.Numerics;
using EarlyWarning.Anonymization.Agreements;

namespace EarlyWarning.UnitTests.Agreements;

/// <summary>
/// What an intruder can compute from one release: every published relation (a cell of a coarser exact table
/// equals the sum of the finer table's cells in it) written as a linear equation over the unknown cells,
/// solved exactly by Gauss–Jordan elimination over the rationals. A cell is disclosed when the equations
/// fix its value. Written independently of the releaser on purpose: it knows only the agreement's tables
/// and which cells exist.
/// </summary>
internal static class LinearAttack
{
    /// <summary>The value of every cell the intruder knows: released ones and those the equations determine.</summary>
    /// <param name="structure">Every cell of the exact (threshold) tables, by table name, as the intruder assumes it exists.</param>
    /// <param name="published">The released values of cells whose count was published.</param>
    public static Dictionary<(string Table, CellKey Key), long> Known(
        Agreement agreement, IReadOnlyCollection<(string Table, CellKey Key)> structure, IReadOnlyDictionary<(string Table, CellKey Key), long> published)
    {
        var exact = agreement.Tables.Where(t => t.Rule is ThresholdRule).ToList();
        var unknown = structure.Where(c => !published.ContainsKey(c)).Distinct().ToList();
        var column = unknown.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);
        var rows = new List<Fraction[]>();
        foreach (var coarse in exact)
        foreach (var fine in exact)
        {
            if (coarse == fine || (coarse.Breakdown & fine.Breakdown) != coarse.Breakdown) continue;
            foreach (var total in structure.Where(c => c.Table == coarse.Name))
            {
                var parts = structure.Where(c => c.Table == fine.Name && c.Key.Group == total.Key.Group
                    && (coarse.Breakdown.HasFlag(Breakdown.Sex) ? c.Key.Sex == total.Key.Sex : true)
                    && (coarse.Breakdown.HasFlag(Breakdown.AgeGroup) ? c.Key.AgeGroup == total.Key.AgeGroup : true)).ToList();
                if (parts.Count == 0) continue; // That breakdown was not published for the group.
                // total − Σ parts = 0, with known cells moved to the right-hand side.
                var row = Enumerable.Repeat(Fraction.Zero, unknown.Count + 1).ToArray();
                foreach (var (cell, sign) in parts.Select(p => (p, -1)).Prepend((total, 1)))
                {
                    if (column.TryGetValue(cell, out var col)) row[col] += new Fraction(sign);
                    else row[^1] -= new Fraction(sign * published[cell]);
                }
                rows.Add(row);
            }
        }
        var known = published.ToDictionary(p => p.Key, p => p.Value);
        var r = 0;
        var pivotOf = new List<(int Row, int Col)>();
        for (var col = 0; col < unknown.Count && r < rows.Count; col++)
        {
            var pivot = rows.FindIndex(r, row => !row[col].IsZero);
            if (pivot < 0) continue;
            (rows[r], rows[pivot]) = (rows[pivot], rows[r]);
            var p = rows[r][col];
            for (var j = 0; j <= unknown.Count; j++) rows[r][j] /= p;
            for (var i = 0; i < rows.Count; i++)
            {
                if (i == r || rows[i][col].IsZero) continue;
                var f = rows[i][col];
                for (var j = 0; j <= unknown.Count; j++) rows[i][j] -= f * rows[r][j];
            }
            pivotOf.Add((r, col));
            r++;
        }
        foreach (var (row, col) in pivotOf)
            if (Enumerable.Range(0, unknown.Count).All(j => j == col || rows[row][j].IsZero))
                known[unknown[col]] = (long)rows[row][^1].Numerator / (long)rows[row][^1].Denominator;
        return known;
    }

    /// <summary>
    /// The bounds an intruder derives for each suppressed cell from the release: the flags (C: the threshold rule
    /// hid a count of 1 to k−1; D: a count of zero or more), counts are non-negative, and every published relation
    /// (total = Σ parts). Each relation tightens its cells' intervals, over and over until nothing moves: interval
    /// propagation, the relaxation of the linear-programming bounds (it may leave an interval wider than LP would,
    /// never narrower). Returns the suppressed cells whose interval is one value: disclosed.
    /// </summary>
    public static Dictionary<(string Table, CellKey Key), long> PinnedByBounds(Agreement agreement, Release release)
    {
        var exact = agreement.Tables.Where(t => t.Rule is ThresholdRule).ToDictionary(t => t.Name);
        var cells = release.Cells.Where(c => exact.ContainsKey(c.Table)).ToDictionary(c => (c.Table, c.Key));
        var low = new Dictionary<(string, CellKey), double>();
        var high = new Dictionary<(string, CellKey), double>();
        foreach (var (id, cell) in cells)
            (low[id], high[id]) = cell switch
            {
                { Value: { } v } => ((double)v, (double)v),
                { Status: ConfidentialityStatus.Confidential } => (1d, ((ThresholdRule)exact[cell.Table].Rule).K - 1d),
                _ => (0d, double.PositiveInfinity),
            };
        var relations = new List<List<(string, CellKey)>>();
        foreach (var coarse in exact.Values)
        foreach (var fine in exact.Values)
        {
            if (coarse == fine || (coarse.Breakdown & fine.Breakdown) != coarse.Breakdown) continue;
            foreach (var total in cells.Keys.Where(c => c.Table == coarse.Name))
            {
                var parts = cells.Keys.Where(c => c.Table == fine.Name && c.Key.Group == total.Key.Group
                    && (!coarse.Breakdown.HasFlag(Breakdown.Sex) || c.Key.Sex == total.Key.Sex)
                    && (!coarse.Breakdown.HasFlag(Breakdown.AgeGroup) || c.Key.AgeGroup == total.Key.AgeGroup)).ToList();
                if (parts.Count > 0) relations.Add([total, .. parts]);
            }
        }
        for (var moved = true; moved;)
        {
            moved = false;
            foreach (var relation in relations)
            {
                // total = Σ parts, read in each direction: every cell is the total minus the others, or their sum.
                var total = relation[0];
                var parts = relation.Skip(1).ToList();
                moved |= Narrow(total, parts.Sum(p => low[p]), parts.Sum(p => high[p]));
                foreach (var part in parts)
                {
                    var others = parts.Where(o => o != part).ToList();
                    moved |= Narrow(part, low[total] - others.Sum(o => high[o]), high[total] - others.Sum(o => low[o]));
                }
            }
        }
        return cells.Where(c => c.Value.Value is null && low[c.Key] == high[c.Key]).ToDictionary(c => c.Key, c => (long)low[c.Key]);

        bool Narrow((string, CellKey) cell, double from, double to)
        {
            // Counts are whole numbers: a bound of 3.5 means 4.
            from = Math.Ceiling(from);
            to = Math.Floor(to);
            var narrowed = false;
            if (from > low[cell]) { low[cell] = from; narrowed = true; }
            if (to < high[cell]) { high[cell] = to; narrowed = true; }
            return narrowed;
        }
    }

    /// <summary>The cells of the exact tables a release shows (values or flags); held cells are absent from it.</summary>
    public static (List<(string, CellKey)> Structure, Dictionary<(string, CellKey), long> Published) View(Agreement agreement, Release release)
    {
        var exact = agreement.Tables.Where(t => t.Rule is ThresholdRule).Select(t => t.Name).ToHashSet();
        var cells = release.Cells.Where(c => exact.Contains(c.Table)).ToList();
        return (cells.Select(c => (c.Table, c.Key)).ToList(),
            cells.Where(c => c.Value is not null).ToDictionary(c => (c.Table, c.Key), c => c.Value!.Value));
    }

    internal readonly record struct Fraction(BigInteger Numerator, BigInteger Denominator)
    {
        public static readonly Fraction Zero = new(0);

        public Fraction(long value) : this(value, BigInteger.One) { }

        public bool IsZero => Numerator.IsZero;

        private static Fraction Normal(BigInteger n, BigInteger d)
        {
            if (d.Sign < 0) (n, d) = (-n, -d);
            var g = BigInteger.GreatestCommonDivisor(n, d);
            return g.IsZero || g.IsOne ? new Fraction(n, d) : new Fraction(n / g, d / g);
        }

        public static Fraction operator +(Fraction a, Fraction b) => Normal(a.Numerator * b.Denominator + b.Numerator * a.Denominator, a.Denominator * b.Denominator);
        public static Fraction operator -(Fraction a, Fraction b) => Normal(a.Numerator * b.Denominator - b.Numerator * a.Denominator, a.Denominator * b.Denominator);
        public static Fraction operator *(Fraction a, Fraction b) => Normal(a.Numerator * b.Numerator, a.Denominator * b.Denominator);
        public static Fraction operator /(Fraction a, Fraction b) => Normal(a.Numerator * b.Denominator, a.Denominator * b.Numerator);
    }
}
