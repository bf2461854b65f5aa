# syntax=docker/dockerfile:1
# The newsbot command in a container: built with the .NET SDK, run on the smaller runtime image as a non-root user.
#   docker build -t newsbot .
#   docker run --rm -e NEWSBOT__Index__Provider=qdrant -e NEWSBOT__Qdrant__Url=http://qdrant:6333 newsbot stats

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# Restore first, from the project files only, so that the package layer is reused while the code changes.
COPY Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/NewsBot/NewsBot.csproj src/NewsBot/
COPY src/NewsBot.Core/NewsBot.Core.csproj src/NewsBot.Core/
COPY src/NewsBot.Storage.Sqlite/NewsBot.Storage.Sqlite.csproj src/NewsBot.Storage.Sqlite/
COPY src/NewsBot.Qdrant/NewsBot.Qdrant.csproj src/NewsBot.Qdrant/
COPY src/NewsBot.SemanticKernel/NewsBot.SemanticKernel.csproj src/NewsBot.SemanticKernel/
COPY src/NewsBot.Discord/NewsBot.Discord.csproj src/NewsBot.Discord/
COPY src/NewsBot.Web/NewsBot.Web.csproj src/NewsBot.Web/
RUN dotnet restore src/NewsBot/NewsBot.csproj
COPY src/ src/
COPY prompts/ prompts/
RUN dotnet publish src/NewsBot/NewsBot.csproj --configuration Release --no-restore --output /app

FROM mcr.microsoft.com/dotnet/runtime:10.0 AS runtime
WORKDIR /app
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
COPY --from=build /app ./
# The image's built-in unprivileged user (uid 1654); /data is where articles to ingest are mounted.
# /state holds the feed poll state and the votes (a named volume in docker-compose.yml takes this owner).
RUN mkdir -p /data /state && chown "$APP_UID" /data /state
USER $APP_UID
ENTRYPOINT ["/app/newsbot"]
CMD ["serve"]
