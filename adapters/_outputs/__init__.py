"""Azure and Google Cloud output drivers (``sdk.destination`` / ``sdk.bucket``).

They live here, not in ``adapters.azure`` / ``adapters.gcp``, because importing
those packages loads every trigger decoder (and the CloudEvents machinery): a
function on another cloud that only sends to a Pub/Sub topic or an Azure queue
would pay that on its cold start. This package and its parent import nothing;
each driver module imports only its client library, on first use (the AWS
drivers stay in ``adapters.aws``, whose package is kept light by design).
"""
