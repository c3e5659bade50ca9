"""shiplint: a static analyser for Dockerfiles and Kubernetes manifests."""

__version__ = "0.1.0"
