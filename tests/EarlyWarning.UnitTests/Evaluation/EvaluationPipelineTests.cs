using System.Text.Json;
using EarlyWarning.Detection.Surveillance;
using EarlyWarning.Evaluation.Generation;
using EarlyWarning.Evaluation.Pipeline;
using EarlyWarning.Evaluation.Scoring;

namespace EarlyWarning.UnitTests.Evaluation;

/// <summary>The evaluation's reading of a submission's progress, and its ceiling on a plain series.</summary>
public sealed class EvaluationPipelineTests
{
    private static readonly Submission Submission = new(Guid.NewGuid(), "CHL", 0, 130, 36);

    private static SubmissionState Read(string progress) => PipelineWaiter.Read(Submission, JsonDocument.Parse(progress).RootElement);

    private const string Done = """
        { "received": 36, "batchesNotYetSent": 0,
          "anonymized": { "rows": 36, "batchesDone": 4, "batchesWaiting": 0, "batchesFailed": [], "released": { "cells": 60, "batches": 6 } },
          "classified": { "cells": 60, "batchesDone": 6, "batchesWaiting": 0, "batchesFailed": [] },
          "evaluated":  { "cells": 60, "batchesDone": 6, "batchesWaiting": 0, "batchesFailed": [] } }
        """;

    [Fact]
    public void A_submission_is_evaluated_once_every_released_message_was_evaluated()
    {
        Assert.True(Read(Done).Evaluated);
        var waiting = Read(Done.Replace("\"cells\": 60, \"batchesDone\": 6, \"batchesWaiting\": 0, \"batchesFailed\": [] } }", "\"cells\": 50, \"batchesDone\": 5, \"batchesWaiting\": 1, \"batchesFailed\": [] } }"));
        Assert.False(waiting.Evaluated);
        Assert.Equal("evaluating", waiting.Stage);
    }

    [Fact]
    public void A_submission_whose_release_is_not_known_yet_is_still_anonymizing()
    {
        var state = Read(Done.Replace("\"released\": { \"cells\": 60, \"batches\": 6 }", "\"released\": null"));
        Assert.False(state.Evaluated);
        Assert.Equal("anonymizing", state.Stage);
    }

    [Fact]
    public void Failed_batches_are_reported()
    {
        var state = Read(Done.Replace("\"classified\": { \"cells\": 60, \"batchesDone\": 6, \"batchesWaiting\": 0, \"batchesFailed\": [] }",
            "\"classified\": { \"cells\": 50, \"batchesDone\": 5, \"batchesWaiting\": 0, \"batchesFailed\": [ { \"batch\": 6, \"reason\": \"InvalidBatchException\" } ] }"));
        Assert.Equal(1, state.FailedBatches);
        Assert.Contains("InvalidBatchException", state.FirstFailure);
    }

    [Fact]
    public void The_ceiling_alerts_a_plain_surge_once_and_nothing_else()
    {
        const int weeks = 130;
        var counts = Enumerable.Range(0, weeks).Select(t => 40L + (t % 5) - 2).ToArray();
        var expected = counts.Select(c => (double)c).ToArray();
        for (var t = 90; t < 93; t++) { counts[t] *= 4; expected[t] *= 4; }
        var series = new FinestSeries(0, "CHL", new PointTerm("Colchane", "CHL-COLCHANE", "border-crossing"), new NationalityTerm("venezolano", "VEN"),
            new CategoryTerm("Solicitud de refugio", "ASYLUM_APPLICATION"), 40, expected, counts,
            counts.Select(c => new[] { new NationalCell("F", "18-59", (int)c) }).ToArray());
        var data = new Dataset(1, Enumerable.Range(0, weeks).Select(i => new DateOnly(2024, 6, 10).AddDays(7 * i)).ToArray(), [], [series], [new PlantedSurge(1, series, 90, 3, 4)]);
        var policy = new DetectionPolicy();
        var run = Ceiling.Run(data, policy);
        var finest = Scorer.Score(data, policy, run, Ceiling.Series(data, policy)).Single(l => l.Level == SeriesLevel.Finest.Name);
        var outcome = Assert.Single(finest.Surges);
        Assert.True(outcome.Early);
        Assert.Equal(1, outcome.Alerts);
        Assert.Equal(0, finest.FalseAlerts);
        Assert.Equal(1.0, finest.JudgedShare);
    }
}
