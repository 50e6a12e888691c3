"""Every HTTP route of the scenarios service, for the gateway to mount."""

from fastapi import APIRouter

from scenarios.bot.router import router as bot_router
from scenarios.scenario.router import router as scenario_router
from scenarios.scenario.router import schemas_router

router = APIRouter()
router.include_router(bot_router)
router.include_router(scenario_router)
router.include_router(schemas_router)
