using System.Buffers.Binary;

namespace EarlyWarning.Detection.Surveillance;

/// <summary>
/// What a week's verdict rests on besides the week's own count: the bound of each rule the judge tried, from the weeks
/// before it (<see cref="PeriodBound"/>). Kept with the verdict, it lets a revised count of the week be judged again
/// without reading or fitting its history (<see cref="SeriesJudge.Decide"/>), for as long as those weeks stay as they were.
/// </summary>
/// <param name="Judge">The <see cref="SeriesJudge.Fingerprint"/> of the judge that made it: another judge cannot use it.</param>
/// <param name="History">Weeks of history the verdict saw.</param>
/// <param name="Exhaustive">Every rule the history allows was tried: a count none of them bounds has "not enough history".</param>
/// <param name="Steps">The rules tried, in the judge's order (their index in it), each with its bound.</param>
public sealed record VerdictBasis(long Judge, int History, bool Exhaustive, IReadOnlyList<(int Rule, PeriodBound Bound)> Steps)
{
    private const byte Format = 1;
    private const int StepBytes = 2 + 5 * sizeof(double);
    private const int HeaderBytes = 1 + sizeof(long) + sizeof(int) + 1 + 1;

    public byte[] ToBytes()
    {
        var bytes = new byte[HeaderBytes + Steps.Count * StepBytes];
        var span = bytes.AsSpan();
        span[0] = Format;
        BinaryPrimitives.WriteInt64LittleEndian(span[1..], Judge);
        BinaryPrimitives.WriteInt32LittleEndian(span[9..], History);
        span[13] = Exhaustive ? (byte)1 : (byte)0;
        span[14] = checked((byte)Steps.Count);
        for (var i = 0; i < Steps.Count; i++)
        {
            var (rule, bound) = Steps[i];
            var step = span[(HeaderBytes + i * StepBytes)..];
            step[0] = checked((byte)rule);
            step[1] = (byte)bound.Kind;
            BinaryPrimitives.WriteDoubleLittleEndian(step[2..], bound.A);
            BinaryPrimitives.WriteDoubleLittleEndian(step[10..], bound.B);
            BinaryPrimitives.WriteDoubleLittleEndian(step[18..], bound.C);
            BinaryPrimitives.WriteDoubleLittleEndian(step[26..], bound.D);
            BinaryPrimitives.WriteDoubleLittleEndian(step[34..], bound.E);
        }
        return bytes;
    }

    /// <summary>The basis written by <see cref="ToBytes"/>, or null for bytes of another format (the week is then judged from its history).</summary>
    public static VerdictBasis? FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < HeaderBytes || bytes[0] != Format || bytes.Length != HeaderBytes + bytes[14] * StepBytes) return null;
        var steps = new (int, PeriodBound)[bytes[14]];
        for (var i = 0; i < steps.Length; i++)
        {
            var step = bytes[(HeaderBytes + i * StepBytes)..];
            if (!Enum.IsDefined((PeriodBoundKind)step[1])) return null;
            steps[i] = (step[0], new PeriodBound((PeriodBoundKind)step[1],
                BinaryPrimitives.ReadDoubleLittleEndian(step[2..]), BinaryPrimitives.ReadDoubleLittleEndian(step[10..]),
                BinaryPrimitives.ReadDoubleLittleEndian(step[18..]), BinaryPrimitives.ReadDoubleLittleEndian(step[26..]),
                BinaryPrimitives.ReadDoubleLittleEndian(step[34..])));
        }
        return new VerdictBasis(BinaryPrimitives.ReadInt64LittleEndian(bytes[1..]), BinaryPrimitives.ReadInt32LittleEndian(bytes[9..]), bytes[13] == 1, steps);
    }
}
