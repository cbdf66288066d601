# Build: docker build -t activityfeed-api .   (or: docker compose build)
# Run:   the container's arguments go to the app, e.g. `... activityfeed-api migrate`.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src

# Restore inputs only, so the restore layer is reused until a package or build
# setting changes. global.json pins SDK 10.0.401 with rollForward=latestFeature:
# the sdk:10.0 image must carry a 10.0.4xx (>= .401) or later SDK, or this fails.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/ActivityFeed.Api/ActivityFeed.Api.csproj src/ActivityFeed.Api/
RUN dotnet restore src/ActivityFeed.Api/ActivityFeed.Api.csproj

# Only the API project: the image needs neither tests/ nor the .sln.
COPY src/ src/
# No apphost: the image starts the app through `dotnet`, so the native launcher is dead weight.
RUN dotnet publish src/ActivityFeed.Api -c Release -o /app --no-restore -p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app ./
# The aspnet image ships a non-root `app` user (uid in $APP_UID) and already sets
# ASPNETCORE_HTTP_PORTS=8080, since a non-root process cannot bind port 80.
USER $APP_UID
EXPOSE 8080
ENTRYPOINT ["dotnet", "ActivityFeed.Api.dll"]
