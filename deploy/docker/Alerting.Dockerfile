# Build context: the repository root (docker compose sets it).
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY shared/ shared/
COPY services/Alerting/ services/Alerting/
RUN dotnet publish services/Alerting/Alerting.csproj -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
# The places and code-list labels alert delivery reads at start-up (found as /app/policy).
COPY policy/ policy/
ENV ASPNETCORE_URLS=http://+:8080
EXPOSE 8080
USER $APP_UID
ENTRYPOINT ["dotnet", "EarlyWarning.Alerting.dll"]
