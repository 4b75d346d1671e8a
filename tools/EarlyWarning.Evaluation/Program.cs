using EarlyWarning.Evaluation;

return await EvaluationCommand.Create().Parse(args).InvokeAsync();
