"""The scheduling dry-run: kube-scheduler's default profile, replayed offline on a modeled cluster.

Layers, each importing only those before it: quantity (resource.Quantity), pods (the pod model
shared by manifests and clusters), cluster (the cluster file), workloads (manifests -> pods),
scheduler (filters and scores, vectorised over nodes with numpy), report, cli. numpy is imported
by the scheduler only, so `shiplint check` without --cluster never loads it.
"""
