# syntax=docker/dockerfile:1
# The OpenLedger Grid silo. Build from the repository root:
#   docker build -f deploy/docker/silo.Dockerfile -t openledger/silo:0.1.0 .
#   docker build -f deploy/docker/silo.Dockerfile --build-arg TORCH_DEVICE=cuda -t openledger/silo:0.1.0-cuda .
# TORCH_DEVICE=cuda swaps TorchSharp-cpu for TorchSharp-cuda-linux (libtorch with its CUDA libraries); the GPU driver
# comes from the node through the NVIDIA container runtime.

FROM mcr.microsoft.com/dotnet/sdk:10.0.100-noble AS build
ARG TORCH_DEVICE=cpu
WORKDIR /src
# Only what the silo is built from: the build settings, the TorchSharp targets with the libstdc++ load fix, the
# contract between clients and silos, the grains and engines, and the host.
COPY global.json Directory.Build.props Directory.Build.targets Directory.Packages.props ./
COPY build/ build/
COPY interfaces/ interfaces/
COPY grains/ grains/
COPY silo/ silo/
# Publishing runs build/TorchSharp.targets, which marks libLibTorchSharp.so's GLIBCXX_3.4.32 requirement weak in the
# published copy only when this image's libstdc++ lacks that version (Ubuntu 24.04's has it, so the library ships as is).
# The runtime stage below is the same Ubuntu release, so what loads here loads there.
RUN dotnet publish silo/OpenLedger.Silo.csproj -c Release -o /app -p:TorchDevice=$TORCH_DEVICE -nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0.0-noble
# curl answers the container healthcheck (GET /health); the .NET images carry no HTTP client.
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app ./
# Inside a container the silo listens on every interface of its own network namespace; the host or the cluster
# decides what is reachable. Orleans listens on OpenLedger__Silo__AdvertisedAddress, which the deployment sets to
# the container's address.
ENV ASPNETCORE_URLS=http://+:8080 \
    OpenLedger__Silo__FlightAddress=0.0.0.0 \
    OpenLedger__Silo__FlightPort=8815 \
    OpenLedger__Silo__SiloPort=11111 \
    OpenLedger__Silo__GatewayPort=30000 \
    DOTNET_gcServer=1
# HTTP (/health, /metrics, the OpenAI-compatible API), silo-to-silo, client gateway, Arrow Flight.
EXPOSE 8080 11111 30000 8815
# The non-root user the .NET images provide (uid 1654).
USER $APP_UID
ENTRYPOINT ["dotnet", "openledger-silo.dll"]
