using EarlyWarning.Publish;

return await PublishCommand.Create().Parse(args).InvokeAsync();
