"""shiplint: a static analyser for Dockerfiles and Kubernetes manifests."""

__version__ = "0.1.0"

# The project's home, the base of every link shiplint writes into its reports (SARIF's
# informationUri, and helpUri links into docs/rules.md). A placeholder until the repository has its
# public address: change it here, and only here.
PROJECT_URL = "https://github.com/shiplint/shiplint"
