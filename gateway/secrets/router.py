"""Secret endpoints: store, list, read metadata and delete the caller's organization's
secrets. No answer ever carries a value. Reading metadata takes the viewer role (like
reading scenarios); storing and deleting take the editor role (like publishing), since
whoever publishes scenarios decides what their HTTP blocks send."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from core.crypto import Encryptor
from core.http import DbSession, Editor, RuntimeDep, Viewer, problem_responses
from gateway.secrets import service
from gateway.secrets.schemas import SecretName, SecretPut, SecretRead

router = APIRouter(prefix="/api/v1/secrets", tags=["secrets"])


@router.get("", response_model=list[SecretRead], responses=problem_responses(401),
            summary="List the organization's secrets")
async def list_secrets(principal: Viewer, session: DbSession):
    """Every secret of your organization by name, with when it was created and last set.
    Values are never listed, not even masked."""
    return await service.get_all(session=session, org_id=principal.org_id)


@router.get("/{name}", response_model=SecretRead, responses=problem_responses(401, 404),
            summary="Read a secret's metadata")
async def get_secret(name: SecretName, principal: Viewer, session: DbSession):
    """When the secret was created and last set; never its value."""
    return await service.get_or_raise(session=session, org_id=principal.org_id, name=name)


@router.put("/{name}", response_model=SecretRead,
            responses={201: {"model": SecretRead, "description": "Created"},
                       **problem_responses(401, 403, 409, 422)},
            summary="Store a secret (create or replace)")
async def put_secret(name: SecretName, body: SecretPut, principal: Editor, session: DbSession,
                     runtime: RuntimeDep, response: Response):
    """Store the value under the name, encrypted: 201 when the secret is new, 200 when its
    value is replaced. The answer is the metadata; the value cannot be read back."""
    secret, created = await service.put(
        session=session, encryptor=Encryptor.from_settings(runtime.settings),
        org_id=principal.org_id, name=name, value=body.value,
        created_by=principal.user_id)
    if created:
        response.status_code = status.HTTP_201_CREATED
    return secret


@router.delete("/{name}", status_code=status.HTTP_204_NO_CONTENT,
               responses=problem_responses(401, 403, 404), summary="Delete a secret")
async def delete_secret(name: SecretName, principal: Editor, session: DbSession) -> Response:
    """Delete the secret; blocks that name it find none from then on."""
    secret = await service.get_or_raise(session=session, org_id=principal.org_id, name=name)
    await service.delete(session=session, secret=secret)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
