namespace EarlyWarning.Anonymization.Agreements;

/// <summary>
/// Applies an agreement to whole national tables: aggregates the submitted cells to the published tables,
/// generalizes, then protects each table by its rule. Pure: the same cells, agreement and earlier releases
/// give the same release.
/// </summary>
/// <remarks>
/// Every published table keeps the series dimensions, so a table's cells relate only to cells of the same
/// group (period × border point × nationality × category): each cell of a coarser table equals the sum of the
/// cells of a finer table that fall in it (the series total = Σ by sex = Σ by age; by sex = Σ of sex × age).
/// Threshold tables are protected together, group by group:
/// <list type="number">
/// <item>primary suppression: a cell of 1 to k−1 is confidential (C); zero is released; a cell whose every part the
/// publisher marked not for publication (CONF_STATUS C, N, D) is suppressed whatever its count, counted with the
/// primary suppressions and flagged D (no range);</item>
/// <item>revisions (holdSmallChanges): a cell released before whose count moved by less than k from any
/// value it was released with is held, i.e. not re-published, so that two releases never differ by a small
/// count; for the rest of the release it is unknown, like a suppressed cell;</item>
/// <item>secondary suppression, greedy per relation: a relation with exactly one unknown cell would give it
/// away by subtraction, so its cheapest other cell is suppressed (D): the smallest positive count first,
/// zeros next, the series total only when nothing else is left (Alerting needs it);</item>
/// <item>audit by exact elimination: the relations are solved for the unknown cells (Gaussian elimination);
/// any unknown cell they determine gets another complementary suppression, until none is determined;</item>
/// <item>audit by bounds: what the flags say (C is 1 to k−1) and the relations are propagated to intervals; a cell
/// whose interval closes gets a complementary breakdown cell, or, beside a series total only, a D flag.</item>
/// </list>
/// Rounded tables take no part in the relations (their counts are not exact), and are never held: the
/// rounding of a count depends only on the cell and the count, so a re-published unchanged count rounds the same.
/// </remarks>
public static class TableReleaser
{
    /// <param name="reportingCountry">The publishing country: the border point of every cell where the agreement coarsens points to the country (the default agreement's country is "default").</param>
    public static Release Apply(
        Agreement agreement,
        IEnumerable<SourceCell> cells,
        IReadOnlyDictionary<CellKey, long[]> releasedBefore,
        string? reportingCountry = null)
    {
        var output = new List<ReleasedCell>();
        var heldKeys = new List<CellKey>();
        int sources = 0, generalized = 0, primary = 0, secondary = 0, rounded = 0, held = 0, withheld = 0;
        foreach (var group in Generalize(agreement.Generalization, cells, reportingCountry ?? agreement.Country).GroupBy(c => c.Cell.Group))
        {
            // Finest cells of the group after generalization: (sex, age group) → count and first line.
            var finest = new Dictionary<(string? Sex, string? Age), (long Count, int Line, bool Declared)>();
            foreach (var (cell, coarsened) in group)
            {
                sources++;
                var age = agreement.Generalization.AgeGroup(cell.AgeGroup);
                if (age != cell.AgeGroup || coarsened) generalized++;
                var key = (cell.Sex, age);
                // Cells the agreement merges are one cell: it stays hidden if the publisher hid any part of it.
                finest[key] = finest.TryGetValue(key, out var sum)
                    ? (sum.Count + cell.Count, Math.Min(sum.Line, cell.Line), sum.Declared || cell.Confidential)
                    : (cell.Count, cell.Line, cell.Confidential);
            }
            var built = BuildTables(agreement, group.Key, finest, ref withheld);
            var counts = Protect(agreement, built, releasedBefore);
            primary += counts.Primary;
            secondary += counts.Secondary;
            held += counts.Held;
            foreach (var cell in built)
            {
                if (cell.State == State.Held)
                {
                    heldKeys.Add(cell.Key);
                    continue;
                }
                if (cell.Rounded) rounded++;
                var status = cell.State switch
                {
                    State.Free => ConfidentialityStatus.Free,
                    // Flagged D, as an intruder must read it (no range): a C would claim 1 to k − 1 for any count.
                    State.Primary when cell.Declared => ConfidentialityStatus.Secondary,
                    State.Primary => ConfidentialityStatus.Confidential,
                    _ => ConfidentialityStatus.Secondary,
                };
                output.Add(new ReleasedCell(cell.Key, cell.Table.Name, status == ConfidentialityStatus.Free ? cell.Value : null, status, cell.Rounded, cell.Line)
                {
                    LowerBound = status == ConfidentialityStatus.Free ? null : cell.Low,
                    UpperBound = status == ConfidentialityStatus.Free ? null : cell.High,
                });
            }
        }
        return new Release(output, new ReleaseCounts(sources, generalized, output.Count, primary, secondary, rounded, held, withheld)) { Held = heldKeys };
    }

    /// <summary>
    /// Coarsens each cell's group as the agreement says: the period to its month, the border point to its region or
    /// the country, then, within each period × border point × category, every nationality whose series count is
    /// 1 to below−1 to <see cref="OtherNationality.Code"/> (zeros disclose nobody and keep their nationality).
    /// </summary>
    private static List<(SourceCell Cell, bool Coarsened)> Generalize(Generalization generalization, IEnumerable<SourceCell> cells, string reportingCountry)
    {
        var placed = cells.Select(c =>
        {
            var group = c.Group with
            {
                Period = generalization.PeriodOf(c.Group.Period),
                BorderPoint = generalization.BorderPointOf(c.Group.BorderPoint, reportingCountry),
            };
            return (Cell: c with { Group = group }, Coarsened: group != c.Group);
        }).ToList();
        if (generalization.RareNationalitiesBelow is not { } below) return placed;
        var totals = new Dictionary<GroupKey, long>();
        foreach (var (cell, _) in placed) totals[cell.Group] = totals.GetValueOrDefault(cell.Group) + cell.Count;
        for (var i = 0; i < placed.Count; i++)
        {
            var cell = placed[i].Cell;
            if (totals[cell.Group] is > 0 and var total && total < below)
                placed[i] = (cell with { Group = cell.Group with { Nationality = OtherNationality.Code } }, true);
        }
        return placed;
    }

    private enum State { Free, Primary, Secondary, Held }

    private sealed class WorkCell(PublishedTable table, CellKey key, long value, int line)
    {
        public PublishedTable Table { get; } = table;
        public CellKey Key { get; } = key;
        public long Value { get; set; } = value;
        public int Line { get; } = line;
        public State State { get; set; }
        public bool Rounded { get; set; }
        /// <summary>Every part of the cell was marked not for publication by the publisher.</summary>
        public bool Declared { get; set; }
        public bool Exact => Table.Rule is ThresholdRule;
        public bool Known => State == State.Free;
        /// <summary>What the release discloses of a suppressed cell's count (<see cref="Bounds.Disclosed"/>); null above: unbounded.</summary>
        public long? Low { get; set; }
        public long? High { get; set; }
    }

    private static List<WorkCell> BuildTables(Agreement agreement, GroupKey group, Dictionary<(string? Sex, string? Age), (long Count, int Line, bool Declared)> finest, ref int withheld)
    {
        var cells = new List<WorkCell>();
        foreach (var table in agreement.Tables)
        {
            var bySex = table.Breakdown.HasFlag(Breakdown.Sex);
            var byAge = table.Breakdown.HasFlag(Breakdown.AgeGroup);
            // A breakdown needs every cell of the group to have that dimension, or its cells would not add up to the total.
            if ((bySex && finest.Keys.Any(k => k.Sex is null)) || (byAge && finest.Keys.Any(k => k.Age is null)))
            {
                withheld++;
                continue;
            }
            var tableCells = new Dictionary<CellKey, WorkCell>();
            foreach (var ((sex, age), (count, line, declared)) in finest)
            {
                var key = new CellKey(group, bySex ? sex! : Total.Code, byAge ? age! : Total.Code);
                if (tableCells.TryGetValue(key, out var cell))
                {
                    cell.Value += count;
                    cell.Declared &= declared;
                }
                else tableCells[key] = new WorkCell(table, key, count, line) { Declared = declared };
            }
            cells.AddRange(tableCells.Values.OrderBy(c => c.Key.Sex, StringComparer.Ordinal).ThenBy(c => c.Key.AgeGroup, StringComparer.Ordinal));
        }
        return cells;
    }

    private static (int Primary, int Secondary, int Held) Protect(Agreement agreement, List<WorkCell> cells, IReadOnlyDictionary<CellKey, long[]> releasedBefore)
    {
        int primary = 0, held = 0;
        foreach (var cell in cells)
        {
            if (cell.Declared)
            {
                // The publisher's "do not publish" comes before every rule; nothing of it is disclosed, not even a range.
                cell.State = State.Primary;
                cell.Low = 0;
                primary++;
                continue;
            }
            switch (cell.Table.Rule)
            {
                case RoundingRule rounding:
                    cell.Value = Rounding.Round(agreement.Id, cell.Key, cell.Table.Name, cell.Value, rounding);
                    cell.Rounded = true;
                    break;
                case ThresholdRule { K: var k }:
                    if (releasedBefore.TryGetValue(cell.Key, out var earlier) && earlier.Any(e => e != cell.Value && Math.Abs(e - cell.Value) < k))
                    {
                        cell.State = State.Held;
                        held++;
                    }
                    else if (cell.Value > 0 && cell.Value < k)
                    {
                        cell.State = State.Primary;
                        primary++;
                    }
                    break;
            }
        }
        var exact = cells.Where(c => c.Exact).ToList();
        var relations = Relations(agreement, exact);
        var secondary = 0;
        while (true)
        {
            var changed = false;
            foreach (var relation in relations)
            {
                if (relation.Count(c => !c.Known) != 1) continue;
                Suppress(Cheapest(relation));
                changed = true;
            }
            if (changed) continue;
            var determined = Elimination.Determined(exact.Where(c => !c.Known).ToList(), relations);
            if (determined is not null)
            {
                var candidate = relations.Where(r => r.Contains(determined)).Select(Cheapest).FirstOrDefault(c => c is not null)
                    ?? Cheapest(exact);
                if (candidate is null) break; // Everything is already unknown.
                Suppress(candidate);
                continue;
            }
            var pinned = Bounds.Pinned(exact, relations);
            if (pinned is null) break;
            // A cell pinned by the bounds its flag gives (C: 1 to k−1, D: zero or more): suppress a breakdown cell
            // beside it, or, where only the series total is left (Alerting needs it), flag a confidential cell of
            // the relation D, which takes its bounds away (T = 8 = F + M with both C under k = 5 gives F = M = 4).
            var inRelation = relations.Where(r => r.Contains(pinned)).ToList();
            if (inRelation.Select(r => Cheapest(r.Where(c => c.Table.Breakdown != Breakdown.None))).FirstOrDefault(c => c is not null) is { } complement)
            {
                Suppress(complement);
                continue;
            }
            // A lone confidential cell in no relation (a series total under k = 2 is 1 by its flag) is flagged D itself.
            if (inRelation.SelectMany(r => r).Append(pinned).FirstOrDefault(c => c.State == State.Primary && !c.Declared) is not { } confidential) break;
            confidential.State = State.Secondary;
            primary--;
            secondary++;
        }
        Bounds.Disclose(exact, relations);
        return (primary, secondary, held);

        void Suppress(WorkCell? cell)
        {
            cell!.State = State.Secondary;
            secondary++;
        }
    }

    /// <summary>The complementary cell that costs least: a small positive count, then a zero, and the series total last.</summary>
    private static WorkCell? Cheapest(IEnumerable<WorkCell> cells) => cells
        .Where(c => c.Known)
        .OrderBy(c => c.Table.Breakdown == Breakdown.None)
        .ThenBy(c => c.Value == 0)
        .ThenBy(c => c.Value)
        .FirstOrDefault();

    /// <summary>For every pair of exact tables where one refines the other: each coarse cell with the fine cells that sum to it (coarse cell first).</summary>
    private static List<List<WorkCell>> Relations(Agreement agreement, List<WorkCell> exact)
    {
        var relations = new List<List<WorkCell>>();
        var tables = exact.GroupBy(c => c.Table).ToList();
        foreach (var coarse in tables)
        foreach (var fine in tables)
        {
            var c = coarse.Key.Breakdown;
            var f = fine.Key.Breakdown;
            if (c == f || (c & f) != c) continue;
            var parts = fine.ToLookup(cell => new CellKey(cell.Key.Group,
                c.HasFlag(Breakdown.Sex) ? cell.Key.Sex : Total.Code,
                c.HasFlag(Breakdown.AgeGroup) ? cell.Key.AgeGroup : Total.Code));
            foreach (var total in coarse) relations.Add([total, .. parts[total.Key]]);
        }
        return relations;
    }

    /// <summary>
    /// The bounds an intruder gets from the flags (a C cell is 1 to k−1, a D or held cell zero or more) and the
    /// published relations (each total = Σ its parts), tightened relation by relation until nothing moves: the
    /// interval relaxation of the linear-programming bounds τ-Argus audits. Returns an unknown cell whose bounds meet.
    /// </summary>
    private static class Bounds
    {
        public static WorkCell? Pinned(List<WorkCell> exact, List<List<WorkCell>> relations)
        {
            if (exact.All(c => c.Known)) return null;
            var (low, high) = Propagate(exact, relations);
            return exact.FirstOrDefault(c => !c.Known && low[c] >= high[c]);
        }

        /// <summary>
        /// Gives every suppressed cell the interval an intruder reads from the release (<see cref="Pinned"/>'s bounds), so that
        /// detection downstream can use what is known of it and disclose nothing new; where the audit could not keep an interval
        /// open (no cell was left to suppress), only what the flag itself says (C: 1 to k − 1, D: zero or more).
        /// </summary>
        public static void Disclose(List<WorkCell> exact, List<List<WorkCell>> relations)
        {
            if (exact.All(c => c.Known || c.State == State.Held)) return;
            var (low, high) = Propagate(exact, relations);
            foreach (var cell in exact)
            {
                if (cell.State is not (State.Primary or State.Secondary)) continue;
                var (flagLow, flagHigh) = Flag(cell);
                var open = low[cell] < high[cell];
                cell.Low = (long)Math.Ceiling(open ? low[cell] : flagLow);
                var upper = open ? high[cell] : flagHigh;
                cell.High = double.IsPositiveInfinity(upper) ? null : (long)Math.Floor(upper);
            }
        }

        private static (double Low, double High) Flag(WorkCell cell) => cell.State switch
        {
            State.Free => (cell.Value, cell.Value),
            State.Primary when cell.Declared => (0d, double.PositiveInfinity),
            State.Primary => (1d, ((ThresholdRule)cell.Table.Rule).K - 1d),
            _ => (0d, double.PositiveInfinity),
        };

        private static (Dictionary<WorkCell, double> Low, Dictionary<WorkCell, double> High) Propagate(List<WorkCell> exact, List<List<WorkCell>> relations)
        {
            var low = new Dictionary<WorkCell, double>();
            var high = new Dictionary<WorkCell, double>();
            foreach (var cell in exact) (low[cell], high[cell]) = Flag(cell);
            for (var round = 0; round < 100; round++)
            {
                var moved = false;
                foreach (var relation in relations)
                {
                    var total = relation[0];
                    var parts = relation.Skip(1).ToList();
                    moved |= Tighten(total, parts.Sum(p => low[p]), parts.Sum(p => high[p]));
                    foreach (var part in parts)
                    {
                        // The others' sums without the part itself (∞ − ∞ has no value).
                        double othersLow = 0, othersHigh = 0;
                        foreach (var other in parts) if (other != part) { othersLow += low[other]; othersHigh += high[other]; }
                        moved |= Tighten(part, low[total] - othersHigh, high[total] - othersLow);
                    }
                }
                if (!moved) break;
            }
            return (low, high);

            bool Tighten(WorkCell cell, double from, double to)
            {
                var moved = false;
                if (from > low[cell]) { low[cell] = from; moved = true; }
                if (to < high[cell]) { high[cell] = to; moved = true; }
                return moved;
            }
        }
    }

    /// <summary>Which unknown cells the published relations determine, by Gaussian elimination over the unknowns.</summary>
    private static class Elimination
    {
        public static WorkCell? Determined(List<WorkCell> unknown, List<List<WorkCell>> relations)
        {
            if (unknown.Count == 0) return null;
            var column = unknown.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);
            var rows = new List<double[]>();
            foreach (var relation in relations)
            {
                var row = new double[unknown.Count];
                var any = false;
                for (var j = 0; j < relation.Count; j++)
                {
                    if (!column.TryGetValue(relation[j], out var col)) continue;
                    row[col] += j == 0 ? 1 : -1;
                    any = true;
                }
                if (any) rows.Add(row);
            }
            var pivots = Reduce(rows, unknown.Count);
            // A unit vector is in the row space only as a reduced row with a single non-zero entry.
            foreach (var (row, col) in pivots)
                if (Enumerable.Range(0, unknown.Count).All(j => j == col || Math.Abs(rows[row][j]) < 1e-9))
                    return unknown[col];
            return null;
        }

        private static List<(int Row, int Column)> Reduce(List<double[]> rows, int columns)
        {
            var pivots = new List<(int, int)>();
            var r = 0;
            for (var col = 0; col < columns && r < rows.Count; col++)
            {
                var best = -1;
                for (var i = r; i < rows.Count; i++)
                    if (Math.Abs(rows[i][col]) > 1e-9 && (best < 0 || Math.Abs(rows[i][col]) > Math.Abs(rows[best][col]))) best = i;
                if (best < 0) continue;
                (rows[r], rows[best]) = (rows[best], rows[r]);
                var pivot = rows[r][col];
                for (var j = 0; j < columns; j++) rows[r][j] /= pivot;
                for (var i = 0; i < rows.Count; i++)
                {
                    if (i == r || Math.Abs(rows[i][col]) < 1e-12) continue;
                    var factor = rows[i][col];
                    for (var j = 0; j < columns; j++) rows[i][j] -= factor * rows[r][j];
                }
                pivots.Add((r, col));
                r++;
            }
            return pivots;
        }
    }
}
