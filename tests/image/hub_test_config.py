"""The image tests' JupyterHub: the project's jupyterhub/jupyterhub_config.py, with what a test run changes.

tests/jupyter_hub.py starts `jupyterhub -f` this file and passes its settings in the environment: the ports, the image
built in this run, the folder for the Hub's state, the test service's token and the notebooks' run sizes, and for the
culling test how often activity is reported.
"""

import os

c = get_config()  # noqa: F821 (JupyterHub defines it when it loads this file)
load_subconfig(os.environ["JAVADL_HUB_PROJECT_CONFIG"])  # noqa: F821

state = os.environ["JAVADL_HUB_STATE"]
c.JupyterHub.bind_url = f"http://127.0.0.1:{os.environ['JAVADL_HUB_PORT']}"
c.JupyterHub.hub_port = int(os.environ["JAVADL_HUB_API_PORT"])
c.JupyterHub.db_url = f"sqlite:///{state}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = f"{state}/jupyterhub_cookie_secret"
c.ConfigurableHTTPProxy.pid_file = f"{state}/jupyterhub-proxy.pid"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{os.environ['JAVADL_HUB_PROXY_API_PORT']}"

# learners are made through the REST API by the tests' service, which logs nobody in through a form
c.JupyterHub.authenticator_class = "dummy"
c.Authenticator.allow_all = True
c.JupyterHub.services.append({"name": "javadl-tests", "api_token": os.environ["JAVADL_HUB_SERVICE_TOKEN"]})
c.JupyterHub.load_roles.append(
    {
        "name": "javadl-tests",
        "services": ["javadl-tests"],
        "scopes": ["admin:users", "admin:servers", "tokens", "access:servers", "list:users"],
    }
)

c.DockerSpawner.environment.update(
    {"JAVADL_DATASET_LIMIT": os.environ["JAVADL_DATASET_LIMIT"], "JAVADL_MAX_EPOCHS": os.environ["JAVADL_MAX_EPOCHS"]}
)
# Activity reaches the Hub every 5 minutes by default: from each server (jupyterhub-singleuser) and from the proxy's
# routes. The culling test, whose timeout is seconds, has both report every few seconds.
if "JAVADL_HUB_ACTIVITY_SECONDS" in os.environ:
    c.JupyterHub.last_activity_interval = int(os.environ["JAVADL_HUB_ACTIVITY_SECONDS"])
    c.DockerSpawner.environment.update({"JUPYTERHUB_ACTIVITY_INTERVAL": os.environ["JAVADL_HUB_ACTIVITY_SECONDS"]})

# Where the tier's engine falls back to vfs, it copies the whole image (2 GB) into each new container. On a slow
# disk that copy took longer than the Docker client's default 60 s, and DockerSpawner's create_container timed out
# (in a CI run after make test-cuda had written 5 GB); give the copy, and so the start, 5 minutes.
c.DockerSpawner.client_kwargs = {"timeout": 300}
c.Spawner.start_timeout = 300
