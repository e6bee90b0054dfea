"""``dynamodb://TABLE``: idempotency records in DynamoDB, one conditional write per step.

The claim is one ``PutItem`` conditioned on ``attribute_not_exists(id) OR expiry <= now``
(https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html);
when the condition fails, ``ReturnValuesOnConditionCheckFailure=ALL_OLD`` returns
the existing record in the same round trip
(https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html).
Completing and releasing are a ``PutItem`` / ``DeleteItem`` conditioned on the
claim's random token, so a claim that was taken over is never overwritten.

The table needs a string partition key (``id`` unless ``?key=`` says otherwise).
Turn on TTL on the ``ttl`` attribute to have DynamoDB delete expired records;
correctness never depends on it (the condition compares ``expiry``).

Options: ``?region=``, ``?key=``. The client is the one outputs share
(``adapters.aws._clients``): region, credentials and endpoint come from boto3's
own chain (``AWS_ENDPOINT_URL_DYNAMODB`` for a local server). boto3 is imported
when the store is first used (extra ``aws``).
"""

from __future__ import annotations

import math
import os
from typing import Any

from sdk.adapter import IdempotencyRecord, StoreAddress, option, public_name, require
from sdk.errors import ConfigurationError

__all__ = ["DynamoDBStore"]

_CONDITION_FAILED = "ConditionalCheckFailedException"


class DynamoDBStore:
    """Idempotency records in a DynamoDB table (low-level client: no resource layer)."""

    def __init__(self, table: str, *, client: Any = None, region: str | None = None,
                 key_attribute: str = "id", name: str | None = None) -> None:
        if not table:
            raise ConfigurationError("dynamodb:// idempotency store needs a table name")
        self.table = table
        self.name = name or f"dynamodb://{table}"
        self.key_attribute = key_attribute
        self._client = client
        self._region = region

    @classmethod
    def from_address(cls, address: StoreAddress) -> DynamoDBStore:
        require("boto3", "aws", address)
        return cls(address.name, region=option(address, "region"),
                   key_attribute=option(address, "key") or "id", name=public_name(address))

    @property
    def client(self) -> Any:
        """The boto3 DynamoDB client, the process's shared one, built on first use."""
        client = self._client
        if client is None:
            from adapters.aws._clients import client as shared

            client = self._client = shared("dynamodb", self._region)
        return client

    def _item(self, record: IdempotencyRecord) -> dict[str, Any]:
        item: dict[str, Any] = {
            self.key_attribute: {"S": record.key}, "status": {"S": record.status},
            "expiry": {"N": repr(record.expiry)}, "ttl": {"N": str(math.ceil(record.expiry))},
            "token": {"S": record.version},
        }
        if record.payload_hash is not None:
            item["hash"] = {"S": record.payload_hash}
        if record.result is not None:
            item["result"] = {"S": record.result}
        return item

    def _record(self, item: dict[str, Any]) -> IdempotencyRecord:
        fields = {name: next(iter(value.values())) for name, value in item.items()}
        return IdempotencyRecord.from_fields(fields[self.key_attribute], fields,
                                             fields.get("token"))

    def connect(self) -> DynamoDBStore:
        """Build the client now (at import time, in Lambda's init phase), not on the
        first event."""
        _ = self.client
        return self

    def put_if_absent(self, record: IdempotencyRecord, now: float) -> IdempotencyRecord | None:
        record.version = os.urandom(12).hex()
        try:
            self.client.put_item(
                TableName=self.table, Item=self._item(record),
                ConditionExpression="attribute_not_exists(#k) OR #e <= :now",
                ExpressionAttributeNames={"#k": self.key_attribute, "#e": "expiry"},
                ExpressionAttributeValues={":now": {"N": repr(now)}},
                ReturnValuesOnConditionCheckFailure="ALL_OLD")
        except Exception as exc:
            existing = _failed_condition(exc)
            if existing is None:
                raise
            return self._record(existing or self._read(record.key))
        return None

    def _read(self, key: str) -> dict[str, Any]:
        """The item, for a failed condition that did not return it (an API older than
        ReturnValuesOnConditionCheckFailure): one more round trip."""
        found = self.client.get_item(TableName=self.table, ConsistentRead=True,
                                     Key={self.key_attribute: {"S": key}})
        item: dict[str, Any] | None = found.get("Item")
        if item is None:  # released between the two calls: as good as in progress
            return {self.key_attribute: {"S": key}, "status": {"S": "IN_PROGRESS"},
                    "expiry": {"N": "0"}}
        return item

    def update_if(self, record: IdempotencyRecord, claimed: IdempotencyRecord) -> bool:
        record.version = claimed.version  # the token stays: completing is not claiming
        return self._conditional(self.client.put_item, claimed, Item=self._item(record))

    def delete_if(self, claimed: IdempotencyRecord) -> bool:
        return self._conditional(self.client.delete_item, claimed,
                                 Key={self.key_attribute: {"S": claimed.key}})

    def _conditional(self, call: Any, claimed: IdempotencyRecord, **request: Any) -> bool:
        try:
            call(TableName=self.table, ConditionExpression="#t = :token",
                 ExpressionAttributeNames={"#t": "token"},
                 ExpressionAttributeValues={":token": {"S": claimed.version}}, **request)
        except Exception as exc:
            if _failed_condition(exc) is None:
                raise
            return False
        return True

    def __repr__(self) -> str:
        return f"<DynamoDBStore {self.name}>"


def _failed_condition(exc: Exception) -> dict[str, Any] | None:
    """The existing item (``{}`` when not returned) if ``exc`` is a failed condition."""
    response = getattr(exc, "response", None)
    if not isinstance(response, dict):
        return None
    if response.get("Error", {}).get("Code") != _CONDITION_FAILED:
        return None
    item: dict[str, Any] = response.get("Item") or {}
    return item
