using EarlyWarning.Admin;

return await AdminCommand.Create().Parse(args).InvokeAsync();
