"""Every HTTP route of the chat service, for the gateway to mount."""

from fastapi import APIRouter

from chat.channels.router import router as channels_router
from chat.conversations.router import router as conversations_router
from chat.keys.router import router as keys_router
from chat.realtime.router import router as realtime_router
from chat.web.router import router as web_router

router = APIRouter()
router.include_router(conversations_router)
router.include_router(channels_router)
router.include_router(keys_router)
router.include_router(realtime_router)
router.include_router(web_router)
