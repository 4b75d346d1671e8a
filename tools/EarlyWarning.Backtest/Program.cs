using EarlyWarning.Backtest;

return await BacktestCommand.Create().Parse(args).InvokeAsync();
