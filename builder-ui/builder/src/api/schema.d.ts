// Generated from docs/openapi.json by `npm run api` (openapi-typescript): do not edit.
// `npm test` fails when this file no longer matches the document.

export interface paths {
    "/api/v1/api-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List Api Keys */
        get: operations["list_api_keys_api_v1_api_keys_get"];
        put?: never;
        /**
         * Create Api Key
         * @description Create an organization API key with a role no higher than yours. The key is in this
         *     response only; send it as `Authorization: Bearer rzk_...` or `X-API-Key`.
         */
        post: operations["create_api_key_api_v1_api_keys_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/api-keys/{key_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke Api Key
         * @description Revoke a key: it stops working on the next request.
         */
        delete: operations["revoke_api_key_api_v1_api_keys__key_id__delete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Login
         * @description Exchange email and password for an access token and a refresh token. Limited per
         *     account and client address, per account, and per client address.
         */
        post: operations["login_api_v1_auth_login_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Logout
         * @description Revoke the refresh token and every token rotated from the same login.
         */
        post: operations["logout_api_v1_auth_logout_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Refresh
         * @description Spend a refresh token for a new pair. Each refresh token works once; using one twice
         *     signs out every session of that login. With `organization_id`, the new pair acts in that
         *     organization (switching without logging in again).
         */
        post: operations["refresh_api_v1_auth_refresh_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Register With Invitation
         * @description Create an account for the invited email address, with your own password, and join:
         *     the answer is a login in the inviting organization. An address that has an account
         *     already accepts instead (POST /api/v1/invitations/accept).
         */
        post: operations["register_with_invitation_api_v1_auth_register_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/block-types": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get Block Types
         * @description The block catalogue: each type's settings schema, output ports and category, in
         *     registration order (the built-in types, then the ones services register).
         */
        get: operations["get_block_types_api_v1_block_types_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/bots": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List Bots */
        get: operations["list_bots_api_v1_bots_get"];
        put?: never;
        /** Create Bot */
        post: operations["create_bot_api_v1_bots_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/bots/{bot_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get Bot */
        get: operations["get_bot_api_v1_bots__bot_id__get"];
        put?: never;
        post?: never;
        /**
         * Delete Bot
         * @description Delete the bot with its scenarios and versions.
         */
        delete: operations["delete_bot_api_v1_bots__bot_id__delete"];
        options?: never;
        head?: never;
        /** Update Bot */
        patch: operations["update_bot_api_v1_bots__bot_id__patch"];
        trace?: never;
    };
    "/api/v1/bots/{bot_id}/channels": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The bot's messenger connections */
        get: operations["list_channels_api_v1_bots__bot_id__channels_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/bots/{bot_id}/channels/telegram": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The bot's Telegram connection
         * @description Status, last error and counters; never the token.
         */
        get: operations["get_telegram_api_v1_bots__bot_id__channels_telegram_get"];
        /**
         * Connect the bot to Telegram (or replace its connection)
         * @description Checks the token with Telegram (getMe) and, in webhook mode, sets the webhook with a
         *     new secret token. People then chat with the bot's published scenario in Telegram.
         */
        put: operations["connect_telegram_api_v1_bots__bot_id__channels_telegram_put"];
        post?: never;
        /** Disconnect the bot from Telegram */
        delete: operations["disconnect_telegram_api_v1_bots__bot_id__channels_telegram_delete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/bots/{bot_id}/channels/viber": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The bot's Viber connection
         * @description Status, last error and counters; never the token.
         */
        get: operations["get_viber_api_v1_bots__bot_id__channels_viber_get"];
        /**
         * Connect the bot to Viber (or replace its connection)
         * @description Checks the token with Viber (get_account_info) and sets the webhook. People then chat
         *     with the bot's published scenario in Viber.
         */
        put: operations["connect_viber_api_v1_bots__bot_id__channels_viber_put"];
        post?: never;
        /** Disconnect the bot from Viber */
        delete: operations["disconnect_viber_api_v1_bots__bot_id__channels_viber_delete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/bots/{bot_id}/channels/{kind}/receipts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * What became of messages sent through a messenger
         * @description Newest first: each sent message's token there, its chat and history seq, and how far
         *     it got (Viber reports delivered, seen and failed; Telegram reports nothing, so its list
         *     stays empty).
         */
        get: operations["list_receipts_api_v1_bots__bot_id__channels__kind__receipts_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/bots/{bot_id}/chat-key": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get Chat Key
         * @description The bot's public chat key (created on first read). It is meant for web pages: it
         *     lets a caller chat with this bot and nothing else.
         */
        get: operations["get_chat_key_api_v1_bots__bot_id__chat_key_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/bots/{bot_id}/chat-key/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rotate Chat Key
         * @description Replace the chat key; the old one stops working.
         */
        post: operations["rotate_chat_key_api_v1_bots__bot_id__chat_key_rotate_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/bots/{bot_id}/conversations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Conversations
         * @description The bot's conversations, most recently active first; `status=handoff` lists the ones
         *     waiting for an operator. Authors' previews are not among them (`preview=true` lists
         *     those).
         */
        get: operations["list_conversations_api_v1_bots__bot_id__conversations_get"];
        put?: never;
        /**
         * Start Conversation
         * @description Start a conversation on the live version of the bot's main scenario (pinned for the
         *     conversation's life). Authenticate with the bot's `X-Chat-Key` or organization
         *     credentials (operator role or higher). The answer holds the bot's first messages and
         *     what it waits for.
         */
        post: operations["start_conversation_api_v1_bots__bot_id__conversations_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/bots/{bot_id}/mood": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Bot Mood
         * @description The bot's conversations by mood: per period of the day they started, how many there
         *     were and which share of them sounded negative (the average score of the person's
         *     messages at or below -0.05).
         */
        get: operations["bot_mood_api_v1_bots__bot_id__mood_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/bots/{bot_id}/nlu/check": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Check Intents Of
         * @description A check-up of intents being edited: each intent's phrases are predicted by models
         *     trained without them (5-fold cross-validation, the first look), and the report says how
         *     many each intent recognises, what its phrases are taken for instead, and which phrases
         *     went wrong. Nothing is stored; at most 3,000 phrases.
         */
        post: operations["check_intents_of_api_v1_bots__bot_id__nlu_check_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/bots/{bot_id}/nlu/try": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Try Phrase
         * @description How the bot would understand a phrase with these intents and entities: the intent
         *     (or fallback) at the threshold, each intent's confidence by both looks, the entities
         *     found, the language and the sentiment. The intents' model is trained on first use (its
         *     status says `training` while it takes longer than a few seconds) and stored, so
         *     publishing the same intents later needs no training.
         */
        post: operations["try_phrase_api_v1_bots__bot_id__nlu_try_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/bots/{bot_id}/reports": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Bot Reports
         * @description The bot's latest reports, newest first.
         */
        get: operations["bot_reports_api_v1_bots__bot_id__reports_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/bots/{bot_id}/scenarios": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List Scenarios */
        get: operations["list_scenarios_api_v1_bots__bot_id__scenarios_get"];
        put?: never;
        /**
         * Create Scenario
         * @description Create a scenario with a draft. The draft must fit the schema; graph errors are
         *     reported in `validation` and block only publishing.
         */
        post: operations["create_scenario_api_v1_bots__bot_id__scenarios_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/bots/{bot_id}/scenarios/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Import Scenario
         * @description Import a file written by export. It is validated: schema errors always refuse it; graph
         *     errors refuse it unless `allow_invalid=true`.
         */
        post: operations["import_scenario_api_v1_bots__bot_id__scenarios_import_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/bots/{bot_id}/users/{end_user_id}/mood": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * User Mood
         * @description How one person's messages sounded across their conversations with the bot: per period,
         *     the messages, their average sentiment score (-1..+1) and the count of each label, and
         *     whether their mood is improving, worsening or steady. Only messages stored while the
         *     bot's `sentiment` setting was on are counted.
         */
        get: operations["user_mood_api_v1_bots__bot_id__users__end_user_id__mood_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/conversations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start With Chat Key
         * @description Start a conversation with the bot whose `X-Chat-Key` you send (no bot id needed).
         */
        post: operations["start_with_chat_key_api_v1_conversations_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/conversations/{conversation_id}/handback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Handback
         * @description The operator is done: the scenario continues after the handoff block.
         */
        post: operations["handback_api_v1_conversations__conversation_id__handback_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/conversations/{conversation_id}/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * History
         * @description Everything said in the conversation, oldest first, from `after_seq`.
         */
        get: operations["history_api_v1_conversations__conversation_id__messages_get"];
        put?: never;
        /**
         * Send Message
         * @description Send what the person said. One conversation's messages are handled one at a time, in
         *     order; a repeated `client_message_id` returns the first answer without running anything
         *     again. An invalid answer to a question is not an error: the bot asks again. With
         *     organization credentials this needs the operator role or higher.
         *
         *     Ask with `Accept: text/event-stream` to see a language model's answer as it is written
         *     (see docs/chat-api.md, "Streaming").
         */
        post: operations["send_message_api_v1_conversations__conversation_id__messages_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/conversations/{conversation_id}/operator/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Operator Message
         * @description An operator writes to the person while the conversation is handed off.
         */
        post: operations["operator_message_api_v1_conversations__conversation_id__operator_messages_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/conversations/{conversation_id}/reports": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Conversation Reports
         * @description The conversation's reports (the `report` block), newest first.
         */
        get: operations["conversation_reports_api_v1_conversations__conversation_id__reports_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/conversations/{conversation_id}/trace": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Trace
         * @description Per turn, newest first: the event, blocks run with their timings and ports, variable
         *     changes and errors. Organization credentials only: traces show variable values.
         */
        get: operations["trace_api_v1_conversations__conversation_id__trace_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/conversations/{conversation_id}/voice": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send Voice
         * @description Send a voice message: the body is the recording (OGG/Opus, WebM, M4A, MP3, WAV; at
         *     most 1 MiB, two minutes). Answered like a typed message once it is heard and stored: a
         *     question waiting for text gets the words (the person's message keeps them: see the
         *     history), a recording nothing can be heard in is asked to be typed.
         */
        post: operations["send_voice_api_v1_conversations__conversation_id__voice_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/invitations/accept": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Accept Invitation
         * @description Join the inviting organization, logged in as the invited email address's account. Log
         *     in (or refresh) with its id to act in it.
         */
        post: operations["accept_invitation_api_v1_invitations_accept_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/llm/providers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Providers
         * @description The organization's providers by name (their keys stay in the secrets).
         */
        get: operations["list_providers_api_v1_llm_providers_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/llm/providers/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get Provider */
        get: operations["get_provider_api_v1_llm_providers__name__get"];
        /**
         * Put Provider
         * @description Create or replace a provider: 201 when new, 200 when replaced. Its key is read from the
         *     named secret, so rotating the secret needs no change here. Calls use the change (or the
         *     rotated secret) from the next one on, on every instance: the commit drops the copies
         *     instances keep (llm.service).
         */
        put: operations["put_provider_api_v1_llm_providers__name__put"];
        post?: never;
        /**
         * Delete Provider
         * @description Remove a provider no other provider falls back to; blocks that name it take their
         *     `error` port from then on.
         */
        delete: operations["delete_provider_api_v1_llm_providers__name__delete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/llm/providers/{name}/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Test Provider
         * @description Ask the provider (this one, without its fallbacks) for a one-word answer: `ok` with
         *     the time it took, or the provider's reason (a wrong key, an unknown model, no answer).
         */
        post: operations["test_provider_api_v1_llm_providers__name__test_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/llm/quota": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get Quota
         * @description The organization's limits and what it has used of them.
         */
        get: operations["get_quota_api_v1_llm_quota_get"];
        /**
         * Put Quota
         * @description Set the organization's limits (the admin role: they decide what it may spend). Calls
         *     use them from the next one on, on every instance (the commit drops kept copies).
         */
        put: operations["put_quota_api_v1_llm_quota_put"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/llm/usage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Usage
         * @description What the organization's bots spent on models per UTC day, bot and provider: calls
         *     (of them answered from the cache), tokens and cost in dollars.
         */
        get: operations["usage_api_v1_llm_usage_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Me
         * @description The caller, the organization it acts in, and (for users) every membership.
         */
        get: operations["me_api_v1_me_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/modules": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the organization's modules
         * @description Your organization's modules by name, without their drafts.
         */
        get: operations["list_modules_api_v1_modules_get"];
        put?: never;
        /**
         * Create a module
         * @description Create a module with its draft (code, input and output schemas, test cases). The draft
         *     may hold code that does not parse yet; publishing checks it. The ETag header is the
         *     draft revision.
         */
        post: operations["create_module_api_v1_modules_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/modules/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read a module with its draft
         * @description The module with its draft; the ETag header is the draft revision.
         */
        get: operations["get_module_api_v1_modules__name__get"];
        put?: never;
        post?: never;
        /**
         * Delete a module
         * @description Delete the module and all its versions. Scenarios that call it are not checked: their
         *     `module` blocks leave through `error` ("no module named ...") from then on.
         */
        delete: operations["delete_module_api_v1_modules__name__delete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/modules/{name}/draft": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Replace a module's draft
         * @description Replace the whole draft. Needs `If-Match: "<revision>"`; when someone saved in between,
         *     answers 409 and stores nothing.
         */
        put: operations["save_draft_api_v1_modules__name__draft_put"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/modules/{name}/publish": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Publish the draft as the next version
         * @description Check the draft, run every test case in the sandbox (input against the input schema,
         *     output against the output schema, then compared with `expected`) and publish it as the
         *     next immutable version. Any failure: 422 listing each failing case, nothing published.
         */
        post: operations["publish_module_api_v1_modules__name__publish_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/modules/{name}/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Run the draft's test cases
         * @description Run each of the saved draft's test cases in the sandbox, as publishing would, and
         *     report every case (output, expected, error, console lines, time) without publishing.
         *     A draft whose code or schemas do not check is a 422 listing the problems.
         */
        post: operations["test_module_api_v1_modules__name__test_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/modules/{name}/validate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Check a module's draft
         * @description Whether the draft's code parses (a syntax error with its line and column) and its
         *     schemas are JSON Schemas. Always 200: read `valid` and `errors`. Test cases run at
         *     publish.
         */
        post: operations["validate_module_api_v1_modules__name__validate_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/modules/{name}/versions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List a module's versions
         * @description Published versions, newest first.
         */
        get: operations["list_versions_api_v1_modules__name__versions_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/modules/{name}/versions/{number}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read one published version */
        get: operations["get_version_api_v1_modules__name__versions__number__get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/nlu/import/rasa": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Import Rasa
         * @description Convert Rasa NLU training data (intents with examples, annotated entities, synonyms,
         *     lookup tables, regexes) into a scenario's `nlu` section. Nothing is stored: put `data`
         *     into a draft (or merge it with the builder) and publish.
         */
        post: operations["import_rasa_api_v1_nlu_import_rasa_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/notifications/targets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List Targets */
        get: operations["list_targets_api_v1_notifications_targets_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/notifications/targets/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Put Target
         * @description Create or replace a target: 201 when new. Webhooks are signed
         *     (`X-Rozmova-Signature: sha256=HMAC(key, "{timestamp}.{body}")`, see notify/webhook.py).
         */
        put: operations["put_target_api_v1_notifications_targets__name__put"];
        post?: never;
        /** Delete Target */
        delete: operations["delete_target_api_v1_notifications_targets__name__delete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/organization": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get Organization
         * @description The organization the caller acts in.
         */
        get: operations["get_organization_api_v1_organization_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Rename Organization */
        patch: operations["rename_organization_api_v1_organization_patch"];
        trace?: never;
    };
    "/api/v1/organization/members": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List Members */
        get: operations["list_members_api_v1_organization_members_get"];
        put?: never;
        /**
         * Add Member
         * @deprecated
         * @description Invite a person to the organization you act in: the same as
         *     `POST /api/v1/organizations/{org_id}/invitations`. Nobody joins until they accept.
         */
        post: operations["add_member_api_v1_organization_members_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/organization/members/{user_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Remove Member */
        delete: operations["remove_member_api_v1_organization_members__user_id__delete"];
        options?: never;
        head?: never;
        /** Update Member */
        patch: operations["update_member_api_v1_organization_members__user_id__patch"];
        trace?: never;
    };
    "/api/v1/organizations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Organizations
         * @description Every organization the calling user belongs to (an API key sees its own only).
         */
        get: operations["list_organizations_api_v1_organizations_get"];
        put?: never;
        /**
         * Create Organization
         * @description Create an organization; the calling user becomes its owner. Log in with its id (or
         *     refresh) to act in it.
         */
        post: operations["create_organization_api_v1_organizations_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/organizations/{org_id}/invitations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Invitations
         * @description Every invitation of the organization, newest first, with its status.
         */
        get: operations["list_invitations_api_v1_organizations__org_id__invitations_get"];
        put?: never;
        /**
         * Create Invitation
         * @description Invite an email address to join with a role no higher than yours. The answer does not
         *     say whether the address has an account. Give the token (shown once) to the person: they
         *     accept it logged in, or create their account with it. A new invitation to the same
         *     address replaces a pending one.
         */
        post: operations["create_invitation_api_v1_organizations__org_id__invitations_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/organizations/{org_id}/invitations/{invitation_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke Invitation
         * @description Withdraw a pending invitation: its token stops working.
         */
        delete: operations["revoke_invitation_api_v1_organizations__org_id__invitations__invitation_id__delete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/scenarios/{scenario_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get Scenario
         * @description The scenario with its draft; the ETag header is the draft revision.
         */
        get: operations["get_scenario_api_v1_scenarios__scenario_id__get"];
        put?: never;
        post?: never;
        /** Delete Scenario */
        delete: operations["delete_scenario_api_v1_scenarios__scenario_id__delete"];
        options?: never;
        head?: never;
        /** Update Scenario */
        patch: operations["update_scenario_api_v1_scenarios__scenario_id__patch"];
        trace?: never;
    };
    "/api/v1/scenarios/{scenario_id}/diff": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Diff
         * @description What changed between two versions (or a version and the draft): blocks and edges
         *     added, removed and changed.
         */
        get: operations["diff_api_v1_scenarios__scenario_id__diff_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/scenarios/{scenario_id}/draft": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Save Draft
         * @description Replace the whole draft. Needs `If-Match: "<revision>"`; when someone saved in between,
         *     answers 409 and stores nothing.
         */
        put: operations["save_draft_api_v1_scenarios__scenario_id__draft_put"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/scenarios/{scenario_id}/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Export
         * @description The scenario as one JSON file, for import here or elsewhere.
         */
        get: operations["export_api_v1_scenarios__scenario_id__export_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/scenarios/{scenario_id}/preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start Preview
         * @description Try the scenario before publishing it: a conversation on its draft as it is now (or on
         *     a published `version`), nothing published. The draft must be runnable: its errors come
         *     back as a 422 with each one's JSON pointer, as a publish would report them. The
         *     conversation is the author's own (`end_user_id` `preview:<user>`, channel `preview`): it
         *     is left out of the bot's conversation list and its traffic. Continue it with `POST
         *     /api/v1/conversations/{id}/messages` (these credentials) or over the chat socket with the
         *     `resume_token`; `GET .../trace` shows each turn's blocks.
         */
        post: operations["start_preview_api_v1_scenarios__scenario_id__preview_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/scenarios/{scenario_id}/publish": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Publish
         * @description Validate the draft and publish it as the next immutable version, which becomes live.
         *     Errors block publishing (422 lists them); warnings do not.
         */
        post: operations["publish_api_v1_scenarios__scenario_id__publish_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/scenarios/{scenario_id}/validate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Validate Scenario
         * @description Validate the draft (or the document in the body) against the schema and the graph
         *     rules, for this bot's languages. Always 200: read `valid`, `errors` and `warnings`.
         */
        post: operations["validate_scenario_api_v1_scenarios__scenario_id__validate_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/scenarios/{scenario_id}/versions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Versions
         * @description Published versions, newest first.
         */
        get: operations["list_versions_api_v1_scenarios__scenario_id__versions_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/scenarios/{scenario_id}/versions/{number}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get Version */
        get: operations["get_version_api_v1_scenarios__scenario_id__versions__number__get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/scenarios/{scenario_id}/versions/{number}/nlu": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Version Models
         * @description The intent models of a published version: one per intent block, trained in the
         *     background when the version was published (or by the first message that needed it), with
         *     the training's progress, time, size and warnings.
         */
        get: operations["version_models_api_v1_scenarios__scenario_id__versions__number__nlu_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/scenarios/{scenario_id}/versions/{number}/nlu/train": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Train Version Models
         * @description Train the version's intent models that are not stored yet (a version published before
         *     models were stored, or one whose training failed); follow with GET .../nlu.
         */
        post: operations["train_version_models_api_v1_scenarios__scenario_id__versions__number__nlu_train_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/scenarios/{scenario_id}/versions/{number}/rollback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rollback
         * @description Publish version `number`'s content again as a new version, which becomes live. The
         *     draft is left as it is.
         */
        post: operations["rollback_api_v1_scenarios__scenario_id__versions__number__rollback_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/schemas/scenario": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get Scenario Schema
         * @description The JSON Schema of scenario documents (format v1), generated from the block registry.
         */
        get: operations["get_scenario_schema_api_v1_schemas_scenario_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/secrets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the organization's secrets
         * @description Every secret of your organization by name, with when it was created and last set.
         *     Values are never listed, not even masked.
         */
        get: operations["list_secrets_api_v1_secrets_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/secrets/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read a secret's metadata
         * @description When the secret was created and last set; never its value.
         */
        get: operations["get_secret_api_v1_secrets__name__get"];
        /**
         * Store a secret (create or replace)
         * @description Store the value under the name, encrypted: 201 when the secret is new, 200 when its
         *     value is replaced. The answer is the metadata; the value cannot be read back.
         */
        put: operations["put_secret_api_v1_secrets__name__put"];
        post?: never;
        /**
         * Delete a secret
         * @description Delete the secret; blocks that name it find none from then on.
         */
        delete: operations["delete_secret_api_v1_secrets__name__delete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/speech/settings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get Speech Settings
         * @description Which speech engines the organization's voice messages and uploads go to, in order.
         */
        get: operations["get_speech_settings_api_v1_speech_settings_get"];
        /**
         * Put Speech Settings
         * @description Choose the engines and their order (say `["google", "whisper"]`: Google Cloud Speech
         *     first, the offline engine when it fails). Only engines this server runs.
         */
        put: operations["put_speech_settings_api_v1_speech_settings_put"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/transcriptions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Transcriptions
         * @description The organization's uploads, newest first.
         */
        get: operations["list_transcriptions_api_v1_transcriptions_get"];
        put?: never;
        /**
         * Upload
         * @description Upload a recording (the body is the file: OGG/Opus, WebM, M4A/AAC, MP3, WAV, FLAC; up
         *     to the server's upload limit, 25 MB by default, and three hours). It is stored before
         *     this answers (202) and transcribed in the background, after the live conversations'
         *     voice messages: follow it at GET /api/v1/transcriptions/{id}.
         */
        post: operations["upload_api_v1_transcriptions_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/transcriptions/{transcription_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get Transcription
         * @description Its state and, once done, its transcript.
         */
        get: operations["get_transcription_api_v1_transcriptions__transcription_id__get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Healthz
         * @description Liveness: the process answers.
         */
        get: operations["healthz_healthz_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Metrics
         * @description Prometheus metrics.
         */
        get: operations["metrics_metrics_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Readyz
         * @description Readiness: the database (and Redis, when configured) answer.
         */
        get: operations["readyz_readyz_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** ApiKeyCreate */
        ApiKeyCreate: {
            /** Name */
            name: string;
            /** @default editor */
            role: components["schemas"]["Role"];
        };
        /** ApiKeyCreated */
        ApiKeyCreated: {
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /**
             * Key
             * @description The key itself. Shown once: only its hash is stored.
             */
            key: string;
            /** Last Used At */
            last_used_at: string | null;
            /** Name */
            name: string;
            /** Prefix */
            prefix: string;
            /** Revoked At */
            revoked_at: string | null;
            role: components["schemas"]["Role"];
        };
        /** ApiKeyRead */
        ApiKeyRead: {
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /** Last Used At */
            last_used_at: string | null;
            /** Name */
            name: string;
            /** Prefix */
            prefix: string;
            /** Revoked At */
            revoked_at: string | null;
            role: components["schemas"]["Role"];
        };
        /** BlockChange */
        BlockChange: {
            /** Fields */
            fields: string[];
            /** Id */
            id: string;
            /** Layout Only */
            layout_only: boolean;
        };
        /** BlockChanges */
        BlockChanges: {
            /** Added */
            added?: string[];
            /** Changed */
            changed?: components["schemas"]["BlockChange"][];
            /** Removed */
            removed?: string[];
        };
        /** BlockTypeRead */
        BlockTypeRead: {
            /** Category */
            category: string;
            /** Description */
            description: string;
            /**
             * Descriptions
             * @description `description` per interface language (always `en`).
             */
            descriptions: {
                [key: string]: string;
            };
            /** Dynamic Ports */
            dynamic_ports: boolean;
            /** Name */
            name: string;
            /**
             * Ports
             * @description The output ports, or null when they depend on the settings (`dynamic_ports`: a message's buttons, an input's `invalid`...).
             */
            ports: string[] | null;
            /**
             * Settings Schema
             * @description JSON Schema of the block's `settings` (per-language texts are objects keyed by language code).
             */
            settings_schema: {
                [key: string]: unknown;
            };
            /**
             * Titles
             * @description What an editor calls the type, per interface language (always `en`).
             */
            titles: {
                [key: string]: string;
            };
            /**
             * Waits For Input
             * @description Whether the conversation waits on the block for the person; null when it depends on the settings.
             */
            waits_for_input: boolean | null;
        };
        /** BotCreate */
        BotCreate: {
            /**
             * Default Language
             * @description Must be one of `languages`.
             * @default uk
             */
            default_language: string;
            /** Description */
            description?: string | null;
            /** Languages */
            languages?: string[];
            /** Name */
            name: string;
            settings?: components["schemas"]["BotSettings"];
        };
        /**
         * BotMood
         * @description The bot's conversations by mood, per period of the day they started (UTC).
         */
        BotMood: {
            /**
             * Bot Id
             * Format: uuid
             */
            bot_id: string;
            /** Conversations */
            conversations: number;
            /** Items */
            items: components["schemas"]["BotMoodPeriod"][];
            /** Negative Conversations */
            negative_conversations: number;
            /** Negative Share */
            negative_share: number | null;
            /**
             * Period
             * @enum {string}
             */
            period: "day" | "week" | "month";
            /**
             * Since
             * Format: date
             */
            since: string;
            /**
             * Until
             * Format: date
             */
            until: string;
        };
        /** BotMoodPeriod */
        BotMoodPeriod: {
            /** Average Score */
            average_score: number | null;
            /**
             * Conversations
             * @description Conversations started in the period whose person wrote something scored.
             */
            conversations: number;
            /** Messages */
            messages: number;
            /**
             * Negative Conversations
             * @description Of those, the ones whose messages sound negative on average.
             */
            negative_conversations: number;
            /** Negative Share */
            negative_share: number | null;
            /**
             * Start
             * Format: date
             */
            start: string;
        };
        /** BotPage */
        BotPage: {
            /** Items */
            items: components["schemas"]["BotRead"][];
            /** Total */
            total: number;
        };
        /** BotRead */
        BotRead: {
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Default Language */
            default_language: string;
            /** Description */
            description: string | null;
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /** Languages */
            languages: string[];
            /** Main Scenario Id */
            main_scenario_id: string | null;
            /** Name */
            name: string;
            settings: components["schemas"]["BotSettings"];
            /**
             * Updated At
             * Format: date-time
             */
            updated_at: string;
        };
        /**
         * BotSettings
         * @description Behaviour knobs an author sets per bot; unknown keys are refused so typos surface.
         */
        BotSettings: {
            /**
             * Allowed Origins
             * @description Web pages (scheme://host[:port]) whose widget may chat with this bot; the platform's own pages always may.
             */
            allowed_origins?: string[];
            /**
             * Commands In Handoff
             * @description While an operator has the conversation, the scenario's own commands run (and the conversation goes back to the operator) instead of reaching the operator as text. /start, /restart and /help always answer.
             * @default false
             */
            commands_in_handoff: boolean;
            /**
             * Conversation Timeout Seconds
             * @description Inactivity (seconds) after which the scenario's timeout handler runs. An input with its own `timeout_seconds` sends `no_input` after that time instead.
             * @default 1800
             */
            conversation_timeout_seconds: number;
            /**
             * Detect Language
             * @description Tell the language of each message of a person (among the bot's languages), stored with the message.
             * @default true
             */
            detect_language: boolean;
            /**
             * Expiry Seconds
             * @description Inactivity after which a conversation is considered over.
             * @default 604800
             */
            expiry_seconds: number;
            /** @description WebSocket flood limit per connection; resends of messages already stored do not count. */
            flood_limit?: components["schemas"]["FloodLimit"];
            /**
             * Language Confidence
             * @description How sure the language of a message must be for `switch_language` to act (short words such as "ok" never are).
             * @default 0.8
             */
            language_confidence: number;
            /**
             * On Expiry
             * @description What an expired conversation does when the person writes again.
             * @default restart
             * @enum {string}
             */
            on_expiry: "restart" | "resume";
            /**
             * Sentiment
             * @description Score how each message of a person sounds (negative, neutral, positive; Ukrainian and English): stored with the message and summed up in the mood trends (GET /api/v1/bots/{id}/mood, /users/{end_user_id}/mood).
             * @default true
             */
            sentiment: boolean;
            /**
             * Switch Language
             * @description Answer in the language the person writes in: when a message is in another of the bot's languages with at least `language_confidence`, the conversation switches to it before the scenario answers.
             * @default false
             */
            switch_language: boolean;
            /** @description The widget's look. */
            theme?: components["schemas"]["WidgetTheme"];
        };
        /**
         * BotUpdate
         * @description Only the fields sent change. `description` and `main_scenario_id` may be null (cleared);
         *     the others may be left out but not sent as null.
         */
        BotUpdate: {
            /**
             * Default Language
             * @description Must be one of the bot's languages (after this update).
             */
            default_language?: string;
            /** Description */
            description?: string | null;
            /** Languages */
            languages?: string[];
            /** Main Scenario Id */
            main_scenario_id?: string | null;
            /** Name */
            name?: string;
            /** @description Only the settings sent change; the others keep their values. */
            settings?: components["schemas"]["BotSettings"];
        };
        /** Button */
        Button: {
            /** Id */
            id: string;
            /** Label */
            label: string;
            /** Url */
            url?: string | null;
        };
        /** ChannelRead */
        ChannelRead: {
            /**
             * Account
             * @description The bot's @username on Telegram, its name on Viber.
             */
            account: string;
            /**
             * Bot Id
             * Format: uuid
             */
            bot_id: string;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /**
             * Dead Letters
             * @description Messages given up for good (the messenger refused them), newest last, at most 50: when, which chat and history seq, which call, and why.
             */
            dead_letters: components["schemas"]["DeadLetter"][];
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /** Kind */
            kind: string;
            /** Last Error */
            last_error: string | null;
            /**
             * Mode
             * @enum {string}
             */
            mode: "webhook" | "polling";
            /**
             * Received
             * @description Updates accepted (a resend of one included); the counters are written about every second.
             */
            received: number;
            /**
             * Sent
             * @description Messages delivered.
             */
            sent: number;
            /**
             * Status
             * @enum {string}
             */
            status: "active" | "failed";
            /**
             * Token Hint
             * @description The token's last four characters.
             */
            token_hint: string;
            /**
             * Updated At
             * Format: date-time
             */
            updated_at: string;
        };
        /** ChatKeyRead */
        ChatKeyRead: {
            /**
             * Bot Id
             * Format: uuid
             */
            bot_id: string;
            /** Key */
            key: string;
        };
        /** CheckRead */
        CheckRead: {
            /** Accuracy */
            accuracy: number | null;
            /**
             * Checked
             * @description Phrases held out and predicted.
             */
            checked: number;
            /** Examples */
            examples: number;
            /** Folds */
            folds: number;
            /**
             * Intents
             * @description The least recognised first.
             */
            intents: components["schemas"]["IntentCheckRead"][];
            /**
             * Misses
             * @description Up to 50 phrases taken for something else: {text, lang, intent, predicted (null: fallback), confidence}.
             */
            misses: {
                [key: string]: unknown;
            }[];
            /** Threshold */
            threshold: number;
        };
        /** CheckRequest */
        CheckRequest: {
            /**
             * Nlu
             * @description A scenario's `nlu` section, as being edited.
             */
            nlu: {
                [key: string]: unknown;
            };
            /**
             * Threshold
             * @description Below it a phrase counts as taken for `fallback`.
             * @default 0.5
             */
            threshold: number;
        };
        /** ConnectionTest */
        ConnectionTest: {
            /**
             * Answer
             * @description What the model said to a one-word prompt.
             */
            answer?: string | null;
            /**
             * Error
             * @description The provider's reason (never the key).
             */
            error?: string | null;
            /** Milliseconds */
            milliseconds: number;
            /** Model */
            model: string;
            /** Ok */
            ok: boolean;
            /** Provider */
            provider: string;
        };
        /** ConversationPage */
        ConversationPage: {
            /** Items */
            items: components["schemas"]["ConversationRead"][];
        };
        /** ConversationRead */
        ConversationRead: {
            /**
             * Bot Id
             * Format: uuid
             */
            bot_id: string;
            /** Channel */
            channel: string;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** End User Id */
            end_user_id: string | null;
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /** Language */
            language: string;
            /**
             * Last Activity At
             * Format: date-time
             */
            last_activity_at: string;
            /**
             * Scenario Id
             * Format: uuid
             */
            scenario_id: string;
            /** Status */
            status: string;
            /**
             * Version Id
             * Format: uuid
             */
            version_id: string;
        };
        /** ConversationStart */
        ConversationStart: {
            /**
             * Channel
             * @default rest
             */
            channel: string;
            /**
             * End User Id
             * @description Your id for the person: user-scoped variables follow it across conversations.
             */
            end_user_id?: string | null;
            /**
             * Language
             * @description One of the bot's languages; default: the bot's.
             */
            language?: string | null;
            /**
             * Scenario Id
             * @description Start in this scenario instead of the bot's main one.
             */
            scenario_id?: string | null;
            /**
             * Variables
             * @description Prefilled variables: only the scenario's declared conversation-scope ones (a user- or bot-scope, undeclared or system variable, or a value that does not fit its type, is a 422). At most 100, 16 KiB as JSON.
             */
            variables?: {
                [key: string]: components["schemas"]["JsonValue"];
            };
        };
        /** DeadLetter */
        DeadLetter: {
            /**
             * At
             * Format: date-time
             */
            at: string;
            /** Chat Id */
            chat_id: string | null;
            /** Method */
            method: string;
            /** Reason */
            reason: string;
            /** Seq */
            seq: number | null;
        };
        /** Edge */
        Edge: {
            /** Id */
            id?: string | null;
            /**
             * Port
             * @default next
             */
            port: string;
            /** Source */
            source: string;
            /** Target */
            target: string;
        };
        /** EdgeChanges */
        EdgeChanges: {
            /** Added */
            added?: components["schemas"]["Edge"][];
            /** Removed */
            removed?: components["schemas"]["Edge"][];
        };
        /**
         * ExportFile
         * @description One scenario as one file: what export writes and import reads.
         */
        ExportFile: {
            /** Description */
            description?: string | null;
            /** Document */
            document: {
                [key: string]: unknown;
            };
            /**
             * Format
             * @default rozmova.scenario
             * @constant
             */
            format: "rozmova.scenario";
            /** Name */
            name: string;
        };
        /**
         * FloodLimit
         * @description How fast one WebSocket connection may send frames before it is closed (1008).
         */
        FloodLimit: {
            /**
             * Burst
             * @description Frames a connection may send at once (a person typing fast, a widget resending its unsent messages after a reconnect).
             * @default 60
             */
            burst: number;
            /**
             * Per Second
             * @description Frames per second after the burst, sustained.
             * @default 5
             */
            per_second: number;
        };
        /** HistoryItem */
        HistoryItem: {
            /** Body */
            body: {
                [key: string]: unknown;
            };
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /**
             * Direction
             * @enum {string}
             */
            direction: "in" | "out" | "operator";
            /** Seq */
            seq: number;
        };
        /** HistoryPage */
        HistoryPage: {
            /** Items */
            items: components["schemas"]["HistoryItem"][];
            /**
             * Next After Seq
             * @description Pass as after_seq for the next page.
             */
            next_after_seq: number | null;
        };
        /**
         * InputRequest
         * @description What the conversation waits for after this turn.
         */
        InputRequest: {
            /** Attempts Left */
            attempts_left?: number | null;
            /** Block Id */
            block_id: string;
            /** Choices */
            choices?: components["schemas"]["Button"][];
            /**
             * Kind
             * @enum {string}
             */
            kind: "text" | "number" | "email" | "phone" | "date" | "choice" | "buttons" | "handoff";
            /** No Input Seconds */
            no_input_seconds?: number | null;
        };
        /** IntentCheckRead */
        IntentCheckRead: {
            /** Examples */
            examples: number;
            /** Intent */
            intent: string;
            /**
             * Recognised
             * @description Share of its phrases a model trained without them recognised; null: it has one phrase, nothing to hold out.
             */
            recognised: number | null;
            /**
             * Taken For
             * @description What its phrases were taken for instead: [{intent (or fallback), count}].
             */
            taken_for: {
                [key: string]: unknown;
            }[];
        };
        /** InvitationAccept */
        InvitationAccept: {
            /** Token */
            token: string;
        };
        /** InvitationCreate */
        InvitationCreate: {
            /**
             * Email
             * Format: email
             */
            email: string;
            /** @default editor */
            role: components["schemas"]["Role"];
        };
        /** InvitationCreated */
        InvitationCreated: {
            /** Accepted At */
            accepted_at: string | null;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Email */
            email: string;
            /**
             * Expires At
             * Format: date-time
             */
            expires_at: string;
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /**
             * Invited By
             * @description The inviting user; None for an API key.
             */
            invited_by: string | null;
            /** Revoked At */
            revoked_at: string | null;
            role: components["schemas"]["Role"];
            status: components["schemas"]["InvitationStatus"];
            /**
             * Token
             * @description Give it to the invited person: with it they accept (POST /api/v1/invitations/accept, logged in) or create an account (POST /api/v1/auth/register). Shown once: only its hash is stored.
             */
            token: string;
        };
        /** InvitationRead */
        InvitationRead: {
            /** Accepted At */
            accepted_at: string | null;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Email */
            email: string;
            /**
             * Expires At
             * Format: date-time
             */
            expires_at: string;
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /**
             * Invited By
             * @description The inviting user; None for an API key.
             */
            invited_by: string | null;
            /** Revoked At */
            revoked_at: string | null;
            role: components["schemas"]["Role"];
            status: components["schemas"]["InvitationStatus"];
        };
        /** InvitationRegister */
        InvitationRegister: {
            /** Name */
            name?: string | null;
            /** Password */
            password: string;
            /** Token */
            token: string;
        };
        /**
         * InvitationStatus
         * @enum {string}
         */
        InvitationStatus: "pending" | "accepted" | "revoked" | "expired";
        /** IssueRead */
        IssueRead: {
            /** Block Id */
            block_id?: string | null;
            /** Code */
            code: string;
            /** Message */
            message: string;
            /**
             * Path
             * @description JSON pointer into the document.
             */
            path: string;
            /**
             * Severity
             * @enum {string}
             */
            severity: "error" | "warning";
        };
        JsonValue: unknown;
        /** LoginRequest */
        LoginRequest: {
            /**
             * Email
             * Format: email
             */
            email: string;
            /**
             * Organization Id
             * @description Which organization to act in; default: the first one joined.
             */
            organization_id?: string | null;
            /** Password */
            password: string;
        };
        /** MeRead */
        MeRead: {
            /** Memberships */
            memberships: components["schemas"]["MembershipRead"][];
            organization: components["schemas"]["OrganizationBrief"];
            role: components["schemas"]["Role"];
            /** @description None when the caller is an API key. */
            user: components["schemas"]["UserRead"] | null;
        };
        /** MemberRead */
        MemberRead: {
            /** Email */
            email: string;
            /**
             * Joined At
             * Format: date-time
             */
            joined_at: string;
            /** Name */
            name: string | null;
            role: components["schemas"]["Role"];
            /**
             * User Id
             * Format: uuid
             */
            user_id: string;
        };
        /** MemberUpdate */
        MemberUpdate: {
            role: components["schemas"]["Role"];
        };
        /** MembershipRead */
        MembershipRead: {
            organization: components["schemas"]["OrganizationBrief"];
            role: components["schemas"]["Role"];
        };
        /**
         * MessageIn
         * @description One thing the person sends: `text`, a `choice_id` (a button or choice they picked) or a
         *     channel `payload`. Text starting with `/` is a command (`/start`, `/help`, ...).
         */
        MessageIn: {
            /** Choice Id */
            choice_id?: string | null;
            /**
             * Client Message Id
             * @description Unique per message from your side; a retry with the same id returns the first answer and runs nothing again.
             */
            client_message_id: string;
            payload?: components["schemas"]["JsonValue"];
            /** Text */
            text?: string | null;
        };
        /** MessageOut */
        MessageOut: {
            /** Block Id */
            block_id?: string | null;
            /** Buttons */
            buttons?: components["schemas"]["Button"][];
            /** Incomplete */
            incomplete?: boolean | null;
            /** Quick Replies */
            quick_replies?: components["schemas"]["Button"][];
            /** Seconds */
            seconds?: number | null;
            /**
             * Seq
             * @description Position in the conversation's history.
             */
            seq: number;
            /** Stream Id */
            stream_id?: string | null;
            /** Text */
            text?: string | null;
            /**
             * Type
             * @enum {string}
             */
            type: "text" | "image" | "file" | "video" | "audio" | "delay" | "handoff";
            /** Url */
            url?: string | null;
        };
        /** ModelRead */
        ModelRead: {
            /**
             * Block Id
             * @description The intent block the model serves.
             */
            block_id: string;
            /** Error */
            error: string | null;
            /** Examples */
            examples: number;
            /**
             * Model
             * @description Digest of the training data; versions with the same intents share the model.
             */
            model: string;
            /** Phase */
            phase: string;
            /**
             * Progress
             * @description 0..1 while training.
             */
            progress: number;
            /**
             * Seconds
             * @description Training time.
             */
            seconds: number | null;
            /**
             * Size
             * @description Bytes of the stored model.
             */
            size: number;
            /**
             * Status
             * @description not_trained, training, ready or failed.
             */
            status: string;
            /**
             * Warnings
             * @description What the training data lacks: intents with one example, phrases under two intents, a language without examples.
             */
            warnings: {
                [key: string]: unknown;
            }[];
        };
        /** ModuleCreate */
        ModuleCreate: {
            /**
             * Cache Seconds
             * @description Keep each input's result this long (0: never). Only for modules whose output depends on their input alone (no Date, no Math.random).
             * @default 0
             */
            cache_seconds: number;
            /**
             * Code
             * @description The body of a JavaScript function of `input`; what it returns is the output: `return {total: input.price * 1.2}`.
             * @default return input;
             */
            code: string;
            /**
             * Description
             * @default
             */
            description: string;
            /**
             * Input Schema
             * @description A JSON Schema (draft 2020-12).
             */
            input_schema?: {
                [key: string]: unknown;
            };
            /**
             * Name
             * @example price_with_vat
             */
            name: string;
            /**
             * Output Schema
             * @description A JSON Schema (draft 2020-12).
             */
            output_schema?: {
                [key: string]: unknown;
            };
            /** Test Cases */
            test_cases?: components["schemas"]["ModuleTestCase"][];
        };
        /** ModuleDetail */
        ModuleDetail: {
            /** Cache Seconds */
            cache_seconds: number;
            /** Code */
            code: string;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Description */
            description: string;
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /** Input Schema */
            input_schema: {
                [key: string]: unknown;
            };
            /**
             * Latest Version
             * @description Highest published version number; 0 if none.
             */
            latest_version: number;
            /** Name */
            name: string;
            /** Output Schema */
            output_schema: {
                [key: string]: unknown;
            };
            /**
             * Revision
             * @description Draft revision; send it back as If-Match to save.
             */
            revision: number;
            /** Test Cases */
            test_cases: components["schemas"]["ModuleTestCase"][];
            /**
             * Updated At
             * Format: date-time
             */
            updated_at: string;
        };
        /** ModuleIssue */
        ModuleIssue: {
            /** Column */
            column?: number | null;
            /** Line */
            line?: number | null;
            /** Message */
            message: string;
            /**
             * Path
             * @description JSON pointer into the draft, e.g. /code or /input_schema.
             */
            path: string;
        };
        /** ModulePage */
        ModulePage: {
            /** Items */
            items: components["schemas"]["ModuleRead"][];
            /** Total */
            total: number;
        };
        /** ModulePublish */
        ModulePublish: {
            /**
             * Changelog
             * @default
             */
            changelog: string;
            /**
             * Revision
             * @description The draft revision you reviewed; publishing a newer one is a 409.
             */
            revision?: number | null;
        };
        /** ModuleRead */
        ModuleRead: {
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Description */
            description: string;
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /**
             * Latest Version
             * @description Highest published version number; 0 if none.
             */
            latest_version: number;
            /** Name */
            name: string;
            /**
             * Revision
             * @description Draft revision; send it back as If-Match to save.
             */
            revision: number;
            /**
             * Updated At
             * Format: date-time
             */
            updated_at: string;
        };
        /**
         * ModuleTestCase
         * @description Run at publish: `input` must fit the input schema, the output the output schema, and
         *     the output must equal `expected`.
         */
        ModuleTestCase: {
            expected?: components["schemas"]["JsonValue"];
            input?: components["schemas"]["JsonValue"];
            /** Name */
            name: string;
        };
        /** ModuleTestResult */
        ModuleTestResult: {
            /**
             * Error
             * @description Why the case failed, when it did.
             */
            error?: string | null;
            expected?: components["schemas"]["JsonValue"];
            /**
             * Logs
             * @description The case's console output.
             */
            logs?: string[];
            /**
             * Ms
             * @description How long the case ran, in milliseconds.
             */
            ms: number;
            /** Name */
            name: string;
            /** @description What the code returned (null when it failed). */
            output?: components["schemas"]["JsonValue"];
            /** Passed */
            passed: boolean;
        };
        /** ModuleTestRun */
        ModuleTestRun: {
            /**
             * Passed
             * @description Whether every case passed (true when there are none).
             */
            passed: boolean;
            /** Results */
            results: components["schemas"]["ModuleTestResult"][];
            /**
             * Revision
             * @description The draft revision whose test cases ran.
             */
            revision: number;
        };
        /**
         * ModuleUpdate
         * @description The whole draft, replaced; send `If-Match` with the revision you edited.
         */
        ModuleUpdate: {
            /**
             * Cache Seconds
             * @description Keep each input's result this long (0: never). Only for modules whose output depends on their input alone (no Date, no Math.random).
             * @default 0
             */
            cache_seconds: number;
            /**
             * Code
             * @description The body of a JavaScript function of `input`; what it returns is the output: `return {total: input.price * 1.2}`.
             * @default return input;
             */
            code: string;
            /**
             * Description
             * @default
             */
            description: string;
            /**
             * Input Schema
             * @description A JSON Schema (draft 2020-12).
             */
            input_schema?: {
                [key: string]: unknown;
            };
            /**
             * Output Schema
             * @description A JSON Schema (draft 2020-12).
             */
            output_schema?: {
                [key: string]: unknown;
            };
            /** Test Cases */
            test_cases?: components["schemas"]["ModuleTestCase"][];
        };
        /** ModuleValidation */
        ModuleValidation: {
            /** Errors */
            errors: components["schemas"]["ModuleIssue"][];
            /** Valid */
            valid: boolean;
        };
        /** ModuleVersionDetail */
        ModuleVersionDetail: {
            /** Cache Seconds */
            cache_seconds: number;
            /** Changelog */
            changelog: string;
            /** Code */
            code: string;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Input Schema */
            input_schema: {
                [key: string]: unknown;
            };
            /** Number */
            number: number;
            /** Output Schema */
            output_schema: {
                [key: string]: unknown;
            };
            /** Published By */
            published_by: string;
        };
        /** ModuleVersionPage */
        ModuleVersionPage: {
            /** Items */
            items: components["schemas"]["ModuleVersionRead"][];
            /** Total */
            total: number;
        };
        /** ModuleVersionRead */
        ModuleVersionRead: {
            /** Changelog */
            changelog: string;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Number */
            number: number;
            /** Published By */
            published_by: string;
        };
        /** OperatorMessage */
        OperatorMessage: {
            /**
             * Author Name
             * @description The name the person sees beside the message (never the operator's account, id or email).
             * @default Operator
             */
            author_name: string;
            /** Text */
            text: string;
        };
        /** OrganizationBrief */
        OrganizationBrief: {
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /** Name */
            name: string;
            /** Slug */
            slug: string;
        };
        /** OrganizationCreate */
        OrganizationCreate: {
            /** Name */
            name: string;
        };
        /** OrganizationRead */
        OrganizationRead: {
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /** Name */
            name: string;
            /** Slug */
            slug: string;
        };
        /** OrganizationUpdate */
        OrganizationUpdate: {
            /** Name */
            name: string;
        };
        /** PreviewStart */
        PreviewStart: {
            /**
             * Language
             * @description One of the bot's languages; default: the bot's.
             */
            language?: string | null;
            /**
             * Variables
             * @description Prefilled conversation-scope variables, as when starting a conversation.
             */
            variables?: {
                [key: string]: components["schemas"]["JsonValue"];
            };
            /**
             * Version
             * @description A published version to try; default: the draft as it is now (validated as a publish would be, without publishing).
             */
            version?: number | null;
        };
        /** PreviewStarted */
        PreviewStarted: {
            /** @description The bot's first messages and what it waits for. */
            answer: components["schemas"]["TurnAnswer"];
            /**
             * Conversation Id
             * Format: uuid
             */
            conversation_id: string;
            /**
             * Resume Token
             * @description Joins the conversation over the chat socket (`/ws/v1/chat?key=<the bot's chat key>`, hello with `resume: {token, last_seq: 0}`), as the widget does.
             */
            resume_token: string;
            /**
             * Revision
             * @description The draft revision it runs; null for a version.
             */
            revision: number | null;
            /**
             * Scenario Id
             * Format: uuid
             */
            scenario_id: string;
            /**
             * Version
             * @description The version number; null for the draft.
             */
            version: number | null;
            /**
             * Version Id
             * Format: uuid
             * @description What the conversation runs: the version's id, or the id of the draft revision frozen for it.
             */
            version_id: string;
        };
        /** @description An error, as RFC 9457 application/problem+json. */
        Problem: {
            /** @description Stable machine-readable error code. */
            code?: string;
            /** @description With a 409 on a draft: the revision stored now. */
            current_revision?: number;
            /** @description With a 503: what is unavailable. */
            dependency?: string;
            detail: string;
            errors?: components["schemas"]["ProblemIssue"][];
            instance?: string;
            /** @description With a 503 or 429: seconds to wait before retrying (also the Retry-After header). */
            retry_after?: number;
            status: number;
            title: string;
            type: string;
            /** @description With a scenario's validation errors: its warnings too. */
            warnings?: components["schemas"]["ProblemIssue"][];
        };
        /** @description One problem with the request or the document it carries. */
        ProblemIssue: {
            /** @description The scenario block the problem is in, if any. */
            block_id?: string | null;
            /** @description Stable code (a scenario's issues). */
            code?: string;
            message: string;
            /** @description JSON pointer to where the problem is */
            path: string;
            /** @enum {string} */
            severity?: "error" | "warning";
            /** @description The validator's error type (a request). */
            type?: string;
        };
        /**
         * ProviderPut
         * @description A model the organization's scenarios reach by the provider's name.
         */
        ProviderPut: {
            /**
             * Api Base
             * @description The server's address (required for azure and openai_compatible). Private addresses are refused unless the operator allows them (ROZMOVA_HTTP_ALLOW).
             */
            api_base?: string | null;
            /**
             * Api Version
             * @description Azure's API version.
             */
            api_version?: string | null;
            /**
             * Calls Per Minute
             * @description Calls to this provider a minute, across servers; past it, calls go to the fallbacks (or take the block's error port).
             */
            calls_per_minute?: number | null;
            /**
             * Fallbacks
             * @description Providers tried in order when this one fails (an outage, a rate limit, a timeout).
             */
            fallbacks?: string[];
            /**
             * Input Cost
             * @description Dollars per million prompt tokens, where litellm does not know the model's price.
             */
            input_cost?: number | null;
            /**
             * Kind
             * @description openai, azure (Azure OpenAI), gemini, anthropic, or openai_compatible: any server speaking OpenAI's chat API (a local llama.cpp or Ollama server).
             * @enum {string}
             */
            kind: "openai" | "azure" | "gemini" | "anthropic" | "openai_compatible";
            /**
             * Max Concurrency
             * @description Calls to this provider in flight at once on one server (a bulkhead; a call waits up to 2 s for a slot, then goes to the fallbacks). A local model server with few slots needs this.
             */
            max_concurrency?: number | null;
            /**
             * Model
             * @description The model as the provider names it (gpt-4o-mini, claude-3-5-haiku-latest, gemini-1.5-flash, an Azure deployment, llama3.1:8b).
             */
            model: string;
            /**
             * Output Cost
             * @description Dollars per million completion tokens.
             */
            output_cost?: number | null;
            /**
             * Secret
             * @description The name of the organization's secret that holds the key (PUT /api/v1/secrets/{name}); none for a local server without keys.
             */
            secret?: string | null;
            /**
             * Timeout Seconds
             * @default 30
             */
            timeout_seconds: number;
        };
        /** ProviderRead */
        ProviderRead: {
            /** Api Base */
            api_base: string | null;
            /** Api Version */
            api_version: string | null;
            /** Calls Per Minute */
            calls_per_minute: number | null;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Fallbacks */
            fallbacks: string[];
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /** Input Cost */
            input_cost: number | null;
            /** Kind */
            kind: string;
            /** Max Concurrency */
            max_concurrency: number | null;
            /** Model */
            model: string;
            /** Name */
            name: string;
            /** Output Cost */
            output_cost: number | null;
            /** Secret */
            secret: string | null;
            /** Timeout Seconds */
            timeout_seconds: number;
            /**
             * Updated At
             * Format: date-time
             */
            updated_at: string;
        };
        /** PublishRequest */
        PublishRequest: {
            /**
             * Changelog
             * @description What changed, for the history.
             * @default
             */
            changelog: string;
            /**
             * Revision
             * @description Publish only if the draft is still at this revision.
             */
            revision?: number | null;
        };
        /** PublishedRead */
        PublishedRead: {
            /** Author */
            author: string;
            /** Changelog */
            changelog: string;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Document Hash */
            document_hash: string;
            /**
             * Live
             * @default false
             */
            live: boolean;
            /** Number */
            number: number;
            /** Rolled Back From */
            rolled_back_from: number | null;
            /**
             * Warnings
             * @description What validation warned about in the published document (it was published anyway).
             */
            warnings?: components["schemas"]["IssueRead"][];
        };
        /**
         * QuotaPut
         * @description The organization's limits on models; null: no limit. A block over a limit takes its
         *     `error` port with the reason; answers from the cache are never refused.
         */
        QuotaPut: {
            /**
             * Bot Tokens Per Day
             * @description Tokens each bot may use a day (UTC), within the organization's: one bot that runs away cannot use up the others' day.
             */
            bot_tokens_per_day?: number | null;
            /** Calls Per Minute */
            calls_per_minute?: number | null;
            /**
             * Cost Per Month
             * @description Dollars, UTC month.
             */
            cost_per_month?: number | null;
            /** Tokens Per Day */
            tokens_per_day?: number | null;
        };
        /** QuotaRead */
        QuotaRead: {
            /**
             * Bot Tokens Per Day
             * @description Tokens each bot may use a day (UTC), within the organization's: one bot that runs away cannot use up the others' day.
             */
            bot_tokens_per_day?: number | null;
            /** Calls Per Minute */
            calls_per_minute?: number | null;
            /**
             * Cost Per Month
             * @description Dollars, UTC month.
             */
            cost_per_month?: number | null;
            /**
             * Cost This Month
             * @description Dollars spent this month (UTC).
             */
            cost_this_month: number;
            /** Tokens Per Day */
            tokens_per_day?: number | null;
            /**
             * Tokens Today
             * @description Tokens the organization's bots used today (UTC).
             */
            tokens_today: number;
        };
        /** RasaFile */
        RasaFile: {
            /** Content */
            content: string;
            /** Name */
            name: string;
        };
        /** RasaImportRead */
        RasaImportRead: {
            /**
             * Data
             * @description A scenario `nlu` section: intents and entities.
             */
            data: {
                [key: string]: unknown;
            };
            /**
             * Renamed
             * @description Rasa intent names changed to fit ours.
             */
            renamed: {
                [key: string]: string;
            };
            /** Renamed Entities */
            renamed_entities: {
                [key: string]: string;
            };
            /** Summary */
            summary: {
                [key: string]: number;
            };
            /** Warnings */
            warnings: string[];
        };
        /** RasaImportRequest */
        RasaImportRequest: {
            /**
             * Files
             * @description Rasa NLU YAML files (data/nlu.yml and the like), 1 MB in all at most.
             */
            files: components["schemas"]["RasaFile"][];
            /**
             * Language
             * @description The language the examples are written in.
             */
            language: string;
        };
        /** Receipt */
        Receipt: {
            /** Chat Id */
            chat_id: string;
            /**
             * Message Token
             * @description The messenger's id of the message (Viber's is a 64-bit integer, given as text to stay exact).
             */
            message_token: string;
            /** Reason */
            reason: string | null;
            /**
             * Seq
             * @description The conversation history's seq of the message.
             */
            seq: number;
            /**
             * Status
             * @enum {string}
             */
            status: "sent" | "delivered" | "seen" | "failed";
            /**
             * Updated At
             * Format: date-time
             */
            updated_at: string;
        };
        /** RefreshRequest */
        RefreshRequest: {
            /** Refresh Token */
            refresh_token: string;
        };
        /** RefreshWithSwitch */
        RefreshWithSwitch: {
            /**
             * Organization Id
             * @description Act in this organization from now on (one you are a member of: `GET /api/v1/me` lists them); default the one the token is for. A refused switch does not spend the token.
             */
            organization_id?: string | null;
            /** Refresh Token */
            refresh_token: string;
        };
        /** ReportRead */
        ReportRead: {
            /** Block Id */
            block_id: string;
            /**
             * Bot Id
             * Format: uuid
             */
            bot_id: string;
            /**
             * Conversation Id
             * Format: uuid
             */
            conversation_id: string;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /** Language */
            language: string;
            /** Messages */
            messages: number;
            /** Model */
            model: string;
            /** Provider */
            provider: string;
            /** Text */
            text: string;
        };
        /**
         * Role
         * @description Each role includes the ones before it. An operator talks in conversations (answers a
         *     handed-off person, sends and starts conversations with organization credentials) but
         *     cannot change bots or scenarios; a viewer only reads.
         * @enum {string}
         */
        Role: "viewer" | "operator" | "editor" | "admin" | "owner";
        /** RollbackRequest */
        RollbackRequest: {
            /** Changelog */
            changelog?: string | null;
        };
        /** ScenarioDetail */
        ScenarioDetail: {
            /**
             * Bot Id
             * Format: uuid
             */
            bot_id: string;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Description */
            description: string | null;
            /**
             * Document
             * @description The draft scenario document.
             */
            document: {
                [key: string]: unknown;
            };
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /**
             * Latest Version
             * @description Highest published version number; 0 if none.
             */
            latest_version: number;
            /**
             * Live Version
             * @description The version new conversations start on.
             */
            live_version: number | null;
            /** Name */
            name: string;
            /**
             * Revision
             * @description Draft revision; send it back as If-Match to save.
             */
            revision: number;
            /**
             * Updated At
             * Format: date-time
             */
            updated_at: string;
            /** @description Validation of the draft as saved (drafts may have graph errors). */
            validation?: components["schemas"]["ValidationRead"] | null;
        };
        /** ScenarioDiff */
        ScenarioDiff: {
            blocks: components["schemas"]["BlockChanges"];
            /** Details Changed */
            details_changed: boolean;
            edges: components["schemas"]["EdgeChanges"];
            /** Entry Changed */
            entry_changed: boolean;
            /** Summary */
            summary: string;
            variables: components["schemas"]["VariableChanges"];
        };
        /** ScenarioPage */
        ScenarioPage: {
            /** Items */
            items: components["schemas"]["ScenarioRead"][];
            /** Total */
            total: number;
        };
        /** ScenarioRead */
        ScenarioRead: {
            /**
             * Bot Id
             * Format: uuid
             */
            bot_id: string;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Description */
            description: string | null;
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /**
             * Latest Version
             * @description Highest published version number; 0 if none.
             */
            latest_version: number;
            /**
             * Live Version
             * @description The version new conversations start on.
             */
            live_version: number | null;
            /** Name */
            name: string;
            /**
             * Revision
             * @description Draft revision; send it back as If-Match to save.
             */
            revision: number;
            /**
             * Updated At
             * Format: date-time
             */
            updated_at: string;
        };
        /**
         * ScenarioUpdate
         * @description Only the fields sent change; `description: null` clears it, a name cannot be null.
         */
        ScenarioUpdate: {
            /** Description */
            description?: string | null;
            /** Name */
            name?: string;
        };
        /**
         * SecretPut
         * @description The value to store under the name, creating the secret or replacing its value.
         */
        SecretPut: {
            /**
             * Value
             * Format: password
             * @description Stored encrypted; never returned by any endpoint.
             */
            value: string;
        };
        /**
         * SecretRead
         * @description What is known of a secret without revealing it.
         */
        SecretRead: {
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /**
             * Name
             * @example CRM_API_TOKEN
             */
            name: string;
            /**
             * Updated At
             * Format: date-time
             * @description When the value was last set.
             */
            updated_at: string;
        };
        /** SpeechSettingsBody */
        SpeechSettingsBody: {
            /**
             * Engines
             * @description The engines to ask, in order: the first, then its fallbacks (of `available`).
             */
            engines: string[];
        };
        /** SpeechSettingsRead */
        SpeechSettingsRead: {
            /**
             * Available
             * @description The engines this server runs, in its order.
             */
            available: string[];
            /**
             * Default
             * @description True when the organization has not chosen: the server's order applies.
             */
            default: boolean;
            /**
             * Engines
             * @description The engines to ask, in order: the first, then its fallbacks (of `available`).
             */
            engines: string[];
        };
        /** TargetPut */
        TargetPut: {
            /**
             * Bot Id
             * @description One bot's notices only (default: all).
             */
            bot_id?: string | null;
            /** Events */
            events: ("handoff" | "report" | "conversation_failed" | "recording_report")[];
            /** Host */
            host?: string | null;
            /**
             * Kind
             * @enum {string}
             */
            kind: "email" | "webhook";
            /** Port */
            port?: number | null;
            /** Recipients */
            recipients?: string[];
            /**
             * Secret
             * @description The organization's secret with the SMTP password, or the webhook's signing key.
             */
            secret?: string | null;
            /** Sender */
            sender?: string | null;
            /**
             * Starttls
             * @default false
             */
            starttls: boolean;
            /** Url */
            url?: string | null;
            /**
             * Use Tls
             * @default false
             */
            use_tls: boolean;
            /** Username */
            username?: string | null;
        };
        /** TargetRead */
        TargetRead: {
            /**
             * Bot Id
             * @description One bot's notices only (default: all).
             */
            bot_id?: string | null;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Events */
            events: ("handoff" | "report" | "conversation_failed" | "recording_report")[];
            /** Host */
            host?: string | null;
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /**
             * Kind
             * @enum {string}
             */
            kind: "email" | "webhook";
            /** Name */
            name: string;
            /** Port */
            port?: number | null;
            /** Recipients */
            recipients?: string[];
            /**
             * Secret
             * @description The organization's secret with the SMTP password, or the webhook's signing key.
             */
            secret?: string | null;
            /** Sender */
            sender?: string | null;
            /**
             * Starttls
             * @default false
             */
            starttls: boolean;
            /**
             * Updated At
             * Format: date-time
             */
            updated_at: string;
            /** Url */
            url?: string | null;
            /**
             * Use Tls
             * @default false
             */
            use_tls: boolean;
            /** Username */
            username?: string | null;
        };
        /** TelegramConnect */
        TelegramConnect: {
            /**
             * Mode
             * @description `webhook`: Telegram posts updates here (needs an address it reaches); `polling`: this platform asks for them (a laptop without one).
             * @default webhook
             * @enum {string}
             */
            mode: "webhook" | "polling";
            /**
             * Public Url
             * @description Where Telegram reaches this platform (ASCII: an international domain in its xn-- form); default ROZMOVA_PUBLIC_URL.
             */
            public_url?: string | null;
            /**
             * Token
             * Format: password
             * @description The bot's token from @BotFather; stored encrypted, never returned.
             */
            token: string;
        };
        /** TokenPair */
        TokenPair: {
            /** Access Token */
            access_token: string;
            /**
             * Expires In
             * @description Seconds until the access token expires.
             */
            expires_in: number;
            organization: components["schemas"]["OrganizationBrief"];
            /** Refresh Token */
            refresh_token: string;
            role: components["schemas"]["Role"];
            /**
             * Token Type
             * @default bearer
             */
            token_type: string;
        };
        /** TracePage */
        TracePage: {
            /** Items */
            items: components["schemas"]["TraceTurn"][];
        };
        /** TraceTurn */
        TraceTurn: {
            /** Client Message Id */
            client_message_id: string | null;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Duration Ms */
            duration_ms: number;
            /** Errors */
            errors: unknown[];
            /** Event */
            event: {
                [key: string]: unknown;
            };
            /** Seq */
            seq: number;
            /** Trace */
            trace: unknown[];
            /** Variable Changes */
            variable_changes: {
                [key: string]: unknown;
            };
            /** Version Id */
            version_id: string | null;
        };
        /** TranscriptionRead */
        TranscriptionRead: {
            /** Bytes */
            bytes: number;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Error */
            error?: string | null;
            /**
             * Error Code
             * @description not_audio, truncated, too_long, too_large, unsupported_codec, silence, timeout, engine_failed, interrupted
             */
            error_code?: string | null;
            /** Finished At */
            finished_at: string | null;
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /** Language */
            language: string | null;
            /**
             * Progress
             * @description 0 to 1
             */
            progress: number;
            /**
             * Result
             * @description Words with their times (seconds) and confidence, the engine, the audio's length; with a report asked for, `report`: {status: requested, running, done or failed, provider, text, model, error}.
             */
            result?: {
                [key: string]: unknown;
            } | null;
            /**
             * Status
             * @description queued, running, done or failed
             */
            status: string;
            /**
             * Text
             * @description The transcript, once done.
             */
            text?: string | null;
        };
        /** TriedIntent */
        TriedIntent: {
            /**
             * Confidence
             * @description What the block decides on: the higher look.
             */
            confidence: number;
            /**
             * First
             * @description The first look's (word and character n-grams).
             */
            first: number | null;
            /** Intent */
            intent: string;
            /**
             * Second
             * @description The second look's (meaning), where taken.
             */
            second: number | null;
        };
        /** TryRead */
        TryRead: {
            /** Confidence */
            confidence: number;
            /**
             * Entities
             * @description Every built-in entity and the section's own found in the phrase: {entity, value, text, start, end}.
             */
            entities: {
                [key: string]: unknown;
            }[];
            /**
             * Intent
             * @description The port the phrase would take; null: fallback.
             */
            intent: string | null;
            /**
             * Language
             * @description The phrase's language among the bot's ({code, confidence}); null when unsure.
             */
            language: {
                [key: string]: unknown;
            } | null;
            /**
             * Logs
             * @description How the answer came about, as a turn's trace says it.
             */
            logs: string[];
            /**
             * Model
             * @description Digest of the intents' examples: the model a published version with these intents uses.
             */
            model: string;
            /**
             * Ranking
             * @description The 5 most confident intents.
             */
            ranking: components["schemas"]["TriedIntent"][];
            /**
             * Second Look
             * @description not_needed (the first look was sure), taken, shed (the server's second looks were busy), failed, off (on this server), not_ready (being trained behind the first).
             */
            second_look: string;
            /**
             * Sentiment
             * @description {score (-1..1), label}.
             */
            sentiment: {
                [key: string]: unknown;
            } | null;
            /**
             * Status
             * @description ready, or training (ask again in a moment).
             */
            status: string;
            /** Threshold */
            threshold: number;
            /**
             * Warnings
             * @description What the training data lacks.
             */
            warnings: {
                [key: string]: unknown;
            }[];
        };
        /** TryRequest */
        TryRequest: {
            /**
             * Language
             * @description The conversation's language (default: the bot's).
             */
            language?: string | null;
            /**
             * Nlu
             * @description A scenario's `nlu` section (intents with their example phrases, entities): the builder sends the draft's as it is being edited, saved or not.
             */
            nlu: {
                [key: string]: unknown;
            };
            /**
             * Text
             * @description The phrase, as a person would write it.
             */
            text: string;
            /**
             * Threshold
             * @description The intent block's threshold.
             * @default 0.5
             */
            threshold: number;
        };
        /** TurnAnswer */
        TurnAnswer: {
            /**
             * Conversation Id
             * Format: uuid
             */
            conversation_id: string;
            /**
             * Duplicate
             * @description True when this answers a client_message_id seen before.
             * @default false
             */
            duplicate: boolean;
            /** Ended */
            ended: boolean;
            /**
             * Inbound Seq
             * @description Where the person's message was stored in the history.
             */
            inbound_seq?: number | null;
            /** @description What the conversation waits for now. */
            input: components["schemas"]["InputRequest"] | null;
            /** Messages */
            messages: components["schemas"]["MessageOut"][];
            /**
             * Status
             * @enum {string}
             */
            status: "active" | "waiting" | "handoff" | "ended";
        };
        /** UsagePage */
        UsagePage: {
            /** Calls */
            calls: number;
            /** Completion Tokens */
            completion_tokens: number;
            /** Cost */
            cost: number;
            /** Items */
            items: components["schemas"]["UsageRow"][];
            /** Prompt Tokens */
            prompt_tokens: number;
            /**
             * Since
             * Format: date
             */
            since: string;
            /**
             * Until
             * Format: date
             */
            until: string;
        };
        /** UsageRow */
        UsageRow: {
            /** Bot Id */
            bot_id: string;
            /** Cached */
            cached: number;
            /** Calls */
            calls: number;
            /** Completion Tokens */
            completion_tokens: number;
            /** Cost */
            cost: number;
            /**
             * Day
             * Format: date
             */
            day: string;
            /** Prompt Tokens */
            prompt_tokens: number;
            /** Provider */
            provider: string;
        };
        /**
         * UserMood
         * @description How one person's messages to the bot sounded, per period (UTC days).
         */
        UserMood: {
            /** Average Score */
            average_score: number | null;
            /**
             * Bot Id
             * Format: uuid
             */
            bot_id: string;
            /** End User Id */
            end_user_id: string;
            /**
             * Items
             * @description Periods with messages, oldest first.
             */
            items: components["schemas"]["UserMoodPeriod"][];
            /** Messages */
            messages: number;
            /**
             * Period
             * @enum {string}
             */
            period: "day" | "week" | "month";
            /**
             * Since
             * Format: date
             */
            since: string;
            /**
             * Trend
             * @description The later half of the periods against the earlier half.
             */
            trend: ("improving" | "worsening" | "steady") | null;
            /**
             * Until
             * Format: date
             */
            until: string;
        };
        /** UserMoodPeriod */
        UserMoodPeriod: {
            /**
             * Average Score
             * @description -1 (very negative) .. +1 (very positive).
             */
            average_score: number | null;
            /** Messages */
            messages: number;
            /** Negative */
            negative: number;
            /** Neutral */
            neutral: number;
            /** Positive */
            positive: number;
            /**
             * Start
             * Format: date
             * @description The day, the Monday of the week, or the 1st of the month.
             */
            start: string;
        };
        /** UserRead */
        UserRead: {
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Email */
            email: string;
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /** Name */
            name: string | null;
        };
        /** ValidationRead */
        ValidationRead: {
            /** Errors */
            errors: components["schemas"]["IssueRead"][];
            /** Valid */
            valid: boolean;
            /** Warnings */
            warnings: components["schemas"]["IssueRead"][];
        };
        /** VariableChanges */
        VariableChanges: {
            /** Added */
            added?: string[];
            /** Changed */
            changed?: string[];
            /** Removed */
            removed?: string[];
        };
        /** VersionDetail */
        VersionDetail: {
            /** Author */
            author: string;
            /** Changelog */
            changelog: string;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Document */
            document: {
                [key: string]: unknown;
            };
            /** Document Hash */
            document_hash: string;
            /**
             * Live
             * @default false
             */
            live: boolean;
            /** Number */
            number: number;
            /** Rolled Back From */
            rolled_back_from: number | null;
        };
        /** VersionModels */
        VersionModels: {
            /** Models */
            models: components["schemas"]["ModelRead"][];
            /** Number */
            number: number;
            /**
             * Scenario Id
             * Format: uuid
             */
            scenario_id: string;
        };
        /** VersionPage */
        VersionPage: {
            /** Items */
            items: components["schemas"]["VersionRead"][];
            /** Total */
            total: number;
        };
        /** VersionRead */
        VersionRead: {
            /** Author */
            author: string;
            /** Changelog */
            changelog: string;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Document Hash */
            document_hash: string;
            /**
             * Live
             * @default false
             */
            live: boolean;
            /** Number */
            number: number;
            /** Rolled Back From */
            rolled_back_from: number | null;
        };
        /** ViberConnect */
        ViberConnect: {
            /**
             * Public Url
             * @description Where Viber reaches this platform (Viber needs https; ASCII: an international domain in its xn-- form); default ROZMOVA_PUBLIC_URL.
             */
            public_url?: string | null;
            /**
             * Token
             * Format: password
             * @description The bot's token from the Viber admin panel; stored encrypted, never returned.
             */
            token: string;
        };
        /** WidgetTheme */
        WidgetTheme: {
            /** Avatar Url */
            avatar_url?: string | null;
            /**
             * Color
             * @description Accent colour.
             */
            color?: string | null;
            /**
             * Title
             * @description Header of the chat panel.
             */
            title?: string | null;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    list_api_keys_api_v1_api_keys_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyRead"][];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    create_api_key_api_v1_api_keys_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ApiKeyCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyCreated"];
                };
            };
            /** @description Malformed JSON (`code: malformed_json`): not JSON, nested too deeply, or a number of thousands of digits */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is over the request limit (ROZMOVA_MAX_REQUEST_BYTES) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Invalid input; `errors` lists each problem with a JSON pointer */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    revoke_api_key_api_v1_api_keys__key_id__delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                key_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyRead"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found in your organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    login_api_v1_auth_login_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LoginRequest"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenPair"];
                };
            };
            /** @description Malformed request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is over the request limit (ROZMOVA_MAX_REQUEST_BYTES) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Invalid input; `errors` lists each problem with a JSON pointer */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    logout_api_v1_auth_logout_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RefreshRequest"];
            };
        };
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Malformed JSON (`code: malformed_json`): not JSON, nested too deeply, or a number of thousands of digits */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is over the request limit (ROZMOVA_MAX_REQUEST_BYTES) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Invalid input; `errors` lists each problem with a JSON pointer */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    refresh_api_v1_auth_refresh_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RefreshWithSwitch"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenPair"];
                };
            };
            /** @description Malformed JSON (`code: malformed_json`): not JSON, nested too deeply, or a number of thousands of digits */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is over the request limit (ROZMOVA_MAX_REQUEST_BYTES) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Invalid input; `errors` lists each problem with a JSON pointer */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    register_with_invitation_api_v1_auth_register_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["InvitationRegister"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenPair"];
                };
            };
            /** @description Malformed JSON (`code: malformed_json`): not JSON, nested too deeply, or a number of thousands of digits */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found in your organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict with the stored state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is over the request limit (ROZMOVA_MAX_REQUEST_BYTES) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Invalid input; `errors` lists each problem with a JSON pointer */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    get_block_types_api_v1_block_types_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BlockTypeRead"][];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    list_bots_api_v1_bots_get: {
        parameters: {
            query?: {
                limit?: number;
                /** @description Items to skip. */
                offset?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BotPage"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    create_bot_api_v1_bots_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BotCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BotRead"];
                };
            };
            /** @description Malformed JSON (`code: malformed_json`): not JSON, nested too deeply, or a number of thousands of digits */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict with the stored state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is over the request limit (ROZMOVA_MAX_REQUEST_BYTES) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Invalid input; `errors` lists each problem with a JSON pointer */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    get_bot_api_v1_bots__bot_id__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                bot_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BotRead"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found in your organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    delete_bot_api_v1_bots__bot_id__delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                bot_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found in your organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    update_bot_api_v1_bots__bot_id__patch: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                bot_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BotUpdate"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BotRead"];
                };
            };
            /** @description Malformed JSON (`code: malformed_json`): not JSON, nested too deeply, or a number of thousands of digits */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found in your organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict with the stored state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is over the request limit (ROZMOVA_MAX_REQUEST_BYTES) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Invalid input; `errors` lists each problem with a JSON pointer */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    list_channels_api_v1_bots__bot_id__channels_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                bot_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChannelRead"][];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found in your organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    get_telegram_api_v1_bots__bot_id__channels_telegram_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                bot_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChannelRead"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found in your organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    connect_telegram_api_v1_bots__bot_id__channels_telegram_put: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                bot_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TelegramConnect"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChannelRead"];
                };
            };
            /** @description Malformed JSON (`code: malformed_json`): not JSON, nested too deeply, or a number of thousands of digits */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found in your organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is over the request limit (ROZMOVA_MAX_REQUEST_BYTES) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Invalid input; `errors` lists each problem with a JSON pointer */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    disconnect_telegram_api_v1_bots__bot_id__channels_telegram_delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                bot_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found in your organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    get_viber_api_v1_bots__bot_id__channels_viber_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                bot_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChannelRead"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found in your organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    connect_viber_api_v1_bots__bot_id__channels_viber_put: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                bot_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ViberConnect"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChannelRead"];
                };
            };
            /** @description Malformed JSON (`code: malformed_json`): not JSON, nested too deeply, or a number of thousands of digits */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found in your organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is over the request limit (ROZMOVA_MAX_REQUEST_BYTES) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Invalid input; `errors` lists each problem with a JSON pointer */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Error */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    disconnect_viber_api_v1_bots__bot_id__channels_viber_delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                bot_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found in your organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    list_receipts_api_v1_bots__bot_id__channels__kind__receipts_get: {
        parameters: {
            query?: {
                chat_id?: string | null;
                limit?: number;
            };
            header?: never;
            path: {
                bot_id: string;
                kind: "telegram" | "viber";
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Receipt"][];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found in your organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Invalid input; `errors` lists each problem with a JSON pointer */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    get_chat_key_api_v1_bots__bot_id__chat_key_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                bot_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChatKeyRead"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found in your organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    rotate_chat_key_api_v1_bots__bot_id__chat_key_rotate_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                bot_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChatKeyRead"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found in your organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    list_conversations_api_v1_bots__bot_id__conversations_get: {
        parameters: {
            query?: {
                status?: string | null;
                limit?: number;
                /** @description List authors' preview conversations instead of people's. */
                preview?: boolean;
            };
            header?: never;
            path: {
                bot_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConversationPage"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found in your organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Invalid input; `errors` lists each problem with a JSON pointer */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    start_conversation_api_v1_bots__bot_id__conversations_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                bot_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["ConversationStart"] | null;
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TurnAnswer"];
                };
            };
            /** @description Malformed JSON (`code: malformed_json`): not JSON, nested too deeply, or a number of thousands of digits */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found in your organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict with the stored state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is over the request limit (ROZMOVA_MAX_REQUEST_BYTES) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Invalid input; `errors` lists each problem with a JSON pointer */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    bot_mood_api_v1_bots__bot_id__mood_get: {
        parameters: {
            query?: {
                /** @description Sum up per UTC day, ISO week (from Monday) or calendar month. */
                period?: "day" | "week" | "month";
                /** @description First day (UTC), inclusive; default: 30 days, 12 weeks or 12 months before `until`. */
                since?: string | null;
                /** @description Last day (UTC), inclusive; default today. */
                until?: string | null;
            };
            header?: never;
            path: {
                bot_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BotMood"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found in your organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Invalid input; `errors` lists each problem with a JSON pointer */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    check_intents_of_api_v1_bots__bot_id__nlu_check_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                bot_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CheckRequest"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CheckRead"];
                };
            };
            /** @description Malformed JSON (`code: malformed_json`): not JSON, nested too deeply, or a number of thousands of digits */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found in your organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is over the request limit (ROZMOVA_MAX_REQUEST_BYTES) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Invalid input; `errors` lists each problem with a JSON pointer */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    try_phrase_api_v1_bots__bot_id__nlu_try_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                bot_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TryRequest"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TryRead"];
                };
            };
            /** @description Malformed JSON (`code: malformed_json`): not JSON, nested too deeply, or a number of thousands of digits */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found in your organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is over the request limit (ROZMOVA_MAX_REQUEST_BYTES) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Invalid input; `errors` lists each problem with a JSON pointer */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    bot_reports_api_v1_bots__bot_id__reports_get: {
        parameters: {
            query?: {
                limit?: number;
            };
            header?: never;
            path: {
                bot_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReportRead"][];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found in your organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Invalid input; `errors` lists each problem with a JSON pointer */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    list_scenarios_api_v1_bots__bot_id__scenarios_get: {
        parameters: {
            query?: {
                limit?: number;
                /** @description Items to skip. */
                offset?: number;
            };
            header?: never;
            path: {
                bot_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ScenarioPage"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found in your organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    create_scenario_api_v1_bots__bot_id__scenarios_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                bot_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Description */
                    description?: string | null;
                    /**
                     * Document
                     * @description Scenario document (see GET /api/v1/schemas/scenario); omitted, a one-block starter in the bot's languages.
                     */
                    document?: {
                        [key: string]: unknown;
                    } | null;
                    /** Name */
                    name: string;
                };
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ScenarioDetail"];
                };
            };
            /** @description Malformed request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found in your organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict with the stored state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over the documented limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Invalid input; `errors` lists each problem with a JSON pointer */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    import_scenario_api_v1_bots__bot_id__scenarios_import_post: {
        parameters: {
            query?: {
                /** @description Override the file's name. */
                name?: string | null;
                /** @description Keep a file with graph errors as a draft instead of refusing it. */
                allow_invalid?: boolean;
            };
            header?: never;
            path: {
                bot_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Description */
                    description?: string | null;
                    /** Document */
                    document: {
                        [key: string]: unknown;
                    };
                    /**
                     * Format
                     * @default rozmova.scenario
                     * @constant
                     */
                    format?: "rozmova.scenario";
                    /** Name */
                    name: string;
                };
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ScenarioDetail"];
                };
            };
            /** @description Malformed request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found in your organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict with the stored state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over the documented limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Invalid input; `errors` lists each problem with a JSON pointer */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    user_mood_api_v1_bots__bot_id__users__end_user_id__mood_get: {
        parameters: {
            query?: {
                /** @description Sum up per UTC day, ISO week (from Monday) or calendar month. */
                period?: "day" | "week" | "month";
                /** @description First day (UTC), inclusive; default: 30 days, 12 weeks or 12 months before `until`. */
                since?: string | null;
                /** @description Last day (UTC), inclusive; default today. */
                until?: string | null;
            };
            header?: never;
            path: {
                bot_id: string;
                end_user_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserMood"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found in your organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Invalid input; `errors` lists each problem with a JSON pointer */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    start_with_chat_key_api_v1_conversations_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["ConversationStart"] | null;
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TurnAnswer"];
                };
            };
            /** @description Malformed JSON (`code: malformed_json`): not JSON, nested too deeply, or a number of thousands of digits */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found in your organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict with the stored state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is over the request limit (ROZMOVA_MAX_REQUEST_BYTES) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Invalid input; `errors` lists each problem with a JSON pointer */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    handback_api_v1_conversations__conversation_id__handback_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                conversation_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TurnAnswer"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found in your organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict with the stored state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    history_api_v1_conversations__conversation_id__messages_get: {
        parameters: {
            query?: {
                /** @description Return history items after this seq. */
                after_seq?: number;
                limit?: number;
            };
            header?: never;
            path: {
                conversation_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HistoryPage"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found in your organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Invalid input; `errors` lists each problem with a JSON pointer */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    send_message_api_v1_conversations__conversation_id__messages_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                conversation_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MessageIn"];
            };
        };
        responses: {
            /** @description The turn's answer, once it is stored; with `Accept: text/event-stream`, Server-Sent Events instead: `partial` (a piece of an answer being written), then `answer` (this same body) or `error` (problem+json). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TurnAnswer"];
                    "text/event-stream": string;
                };
            };
            /** @description Malformed JSON (`code: malformed_json`): not JSON, nested too deeply, or a number of thousands of digits */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found in your organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict with the stored state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over the documented limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Invalid input; `errors` lists each problem with a JSON pointer */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    operator_message_api_v1_conversations__conversation_id__operator_messages_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                conversation_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["OperatorMessage"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HistoryItem"];
                };
            };
            /** @description Malformed JSON (`code: malformed_json`): not JSON, nested too deeply, or a number of thousands of digits */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found in your organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict with the stored state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is over the request limit (ROZMOVA_MAX_REQUEST_BYTES) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Invalid input; `errors` lists each problem with a JSON pointer */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    conversation_reports_api_v1_conversations__conversation_id__reports_get: {
        parameters: {
            query?: {
                limit?: number;
            };
            header?: never;
            path: {
                conversation_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReportRead"][];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found in your organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Invalid input; `errors` lists each problem with a JSON pointer */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    trace_api_v1_conversations__conversation_id__trace_get: {
        parameters: {
            query?: {
                limit?: number;
            };
            header?: never;
            path: {
                conversation_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TracePage"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found in your organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Invalid input; `errors` lists each problem with a JSON pointer */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    send_voice_api_v1_conversations__conversation_id__voice_post: {
        parameters: {
            query: {
                /** @description As for a text message: a resend returns the first answer and runs nothing again. */
                client_message_id: string;
            };
            header?: never;
            path: {
                conversation_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "audio/*": string;
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TurnAnswer"];
                };
            };
            /** @description Malformed JSON (`code: malformed_json`): not JSON, nested too deeply, or a number of thousands of digits */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found in your organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict with the stored state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over the documented limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Invalid input; `errors` lists each problem with a JSON pointer */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Error */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    accept_invitation_api_v1_invitations_accept_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["InvitationAccept"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MembershipRead"];
                };
            };
            /** @description Malformed JSON (`code: malformed_json`): not JSON, nested too deeply, or a number of thousands of digits */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found in your organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict with the stored state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is over the request limit (ROZMOVA_MAX_REQUEST_BYTES) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Invalid input; `errors` lists each problem with a JSON pointer */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    list_providers_api_v1_llm_providers_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProviderRead"][];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    get_provider_api_v1_llm_providers__name__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The provider's name: lower-case letters, digits, - and _. */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProviderRead"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found in your organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    put_provider_api_v1_llm_providers__name__put: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The provider's name: lower-case letters, digits, - and _. */
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ProviderPut"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProviderRead"];
                };
            };
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProviderRead"];
                };
            };
            /** @description Malformed JSON (`code: malformed_json`): not JSON, nested too deeply, or a number of thousands of digits */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict with the stored state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is over the request limit (ROZMOVA_MAX_REQUEST_BYTES) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Invalid input; `errors` lists each problem with a JSON pointer */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    delete_provider_api_v1_llm_providers__name__delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The provider's name: lower-case letters, digits, - and _. */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found in your organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Invalid input; `errors` lists each problem with a JSON pointer */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    test_provider_api_v1_llm_providers__name__test_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The provider's name: lower-case letters, digits, - and _. */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConnectionTest"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found in your organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    get_quota_api_v1_llm_quota_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["QuotaRead"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    put_quota_api_v1_llm_quota_put: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["QuotaPut"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["QuotaRead"];
                };
            };
            /** @description Malformed JSON (`code: malformed_json`): not JSON, nested too deeply, or a number of thousands of digits */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is over the request limit (ROZMOVA_MAX_REQUEST_BYTES) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Invalid input; `errors` lists each problem with a JSON pointer */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    usage_api_v1_llm_usage_get: {
        parameters: {
            query?: {
                /** @description Default: 30 days ago. */
                since?: string | null;
                /** @description Default: today (UTC). */
                until?: string | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UsagePage"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Invalid input; `errors` lists each problem with a JSON pointer */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    me_api_v1_me_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MeRead"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    list_modules_api_v1_modules_get: {
        parameters: {
            query?: {
                limit?: number;
                /** @description Items to skip. */
                offset?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ModulePage"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    create_module_api_v1_modules_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ModuleCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ModuleDetail"];
                };
            };
            /** @description Malformed JSON (`code: malformed_json`): not JSON, nested too deeply, or a number of thousands of digits */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict with the stored state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is over the request limit (ROZMOVA_MAX_REQUEST_BYTES) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Invalid input; `errors` lists each problem with a JSON pointer */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    get_module_api_v1_modules__name__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description 1 to 64 lowercase ASCII letters, digits and underscores, starting with a letter. */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ModuleDetail"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found in your organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    delete_module_api_v1_modules__name__delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description 1 to 64 lowercase ASCII letters, digits and underscores, starting with a letter. */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found in your organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    save_draft_api_v1_modules__name__draft_put: {
        parameters: {
            query?: never;
            header: {
                /** @description The draft revision you edited, the ETag of GET /api/v1/modules/{name}, e.g. "3". Missing: 428. */
                "If-Match": string;
            };
            path: {
                /** @description 1 to 64 lowercase ASCII letters, digits and underscores, starting with a letter. */
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ModuleUpdate"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ModuleDetail"];
                };
            };
            /** @description Malformed JSON (`code: malformed_json`): not JSON, nested too deeply, or a number of thousands of digits */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found in your organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict with the stored state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is over the request limit (ROZMOVA_MAX_REQUEST_BYTES) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Invalid input; `errors` lists each problem with a JSON pointer */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A required precondition header is missing */
            428: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    publish_module_api_v1_modules__name__publish_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description 1 to 64 lowercase ASCII letters, digits and underscores, starting with a letter. */
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ModulePublish"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ModuleVersionDetail"];
                };
            };
            /** @description Malformed JSON (`code: malformed_json`): not JSON, nested too deeply, or a number of thousands of digits */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found in your organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict with the stored state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is over the request limit (ROZMOVA_MAX_REQUEST_BYTES) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Invalid input; `errors` lists each problem with a JSON pointer */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    test_module_api_v1_modules__name__test_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description 1 to 64 lowercase ASCII letters, digits and underscores, starting with a letter. */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ModuleTestRun"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found in your organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Invalid input; `errors` lists each problem with a JSON pointer */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    validate_module_api_v1_modules__name__validate_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description 1 to 64 lowercase ASCII letters, digits and underscores, starting with a letter. */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ModuleValidation"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found in your organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    list_versions_api_v1_modules__name__versions_get: {
        parameters: {
            query?: {
                limit?: number;
                /** @description Items to skip. */
                offset?: number;
            };
            header?: never;
            path: {
                /** @description 1 to 64 lowercase ASCII letters, digits and underscores, starting with a letter. */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ModuleVersionPage"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found in your organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    get_version_api_v1_modules__name__versions__number__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description 1 to 64 lowercase ASCII letters, digits and underscores, starting with a letter. */
                name: string;
                /** @description A version number. */
                number: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ModuleVersionDetail"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found in your organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    import_rasa_api_v1_nlu_import_rasa_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RasaImportRequest"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RasaImportRead"];
                };
            };
            /** @description Malformed JSON (`code: malformed_json`): not JSON, nested too deeply, or a number of thousands of digits */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over the documented limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Invalid input; `errors` lists each problem with a JSON pointer */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    list_targets_api_v1_notifications_targets_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TargetRead"][];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    put_target_api_v1_notifications_targets__name__put: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The target's name. */
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TargetPut"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TargetRead"];
                };
            };
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TargetRead"];
                };
            };
            /** @description Malformed JSON (`code: malformed_json`): not JSON, nested too deeply, or a number of thousands of digits */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict with the stored state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is over the request limit (ROZMOVA_MAX_REQUEST_BYTES) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Invalid input; `errors` lists each problem with a JSON pointer */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    delete_target_api_v1_notifications_targets__name__delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The target's name. */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found in your organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    get_organization_api_v1_organization_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OrganizationRead"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    rename_organization_api_v1_organization_patch: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["OrganizationUpdate"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OrganizationRead"];
                };
            };
            /** @description Malformed JSON (`code: malformed_json`): not JSON, nested too deeply, or a number of thousands of digits */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is over the request limit (ROZMOVA_MAX_REQUEST_BYTES) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Invalid input; `errors` lists each problem with a JSON pointer */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    list_members_api_v1_organization_members_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MemberRead"][];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    add_member_api_v1_organization_members_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["InvitationCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InvitationCreated"];
                };
            };
            /** @description Malformed JSON (`code: malformed_json`): not JSON, nested too deeply, or a number of thousands of digits */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict with the stored state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is over the request limit (ROZMOVA_MAX_REQUEST_BYTES) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Invalid input; `errors` lists each problem with a JSON pointer */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    remove_member_api_v1_organization_members__user_id__delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                user_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found in your organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict with the stored state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    update_member_api_v1_organization_members__user_id__patch: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                user_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MemberUpdate"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MemberRead"];
                };
            };
            /** @description Malformed JSON (`code: malformed_json`): not JSON, nested too deeply, or a number of thousands of digits */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found in your organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict with the stored state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is over the request limit (ROZMOVA_MAX_REQUEST_BYTES) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Invalid input; `errors` lists each problem with a JSON pointer */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    list_organizations_api_v1_organizations_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OrganizationRead"][];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    create_organization_api_v1_organizations_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["OrganizationCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OrganizationRead"];
                };
            };
            /** @description Malformed JSON (`code: malformed_json`): not JSON, nested too deeply, or a number of thousands of digits */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is over the request limit (ROZMOVA_MAX_REQUEST_BYTES) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Invalid input; `errors` lists each problem with a JSON pointer */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    list_invitations_api_v1_organizations__org_id__invitations_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InvitationRead"][];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found in your organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    create_invitation_api_v1_organizations__org_id__invitations_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["InvitationCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InvitationCreated"];
                };
            };
            /** @description Malformed JSON (`code: malformed_json`): not JSON, nested too deeply, or a number of thousands of digits */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found in your organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict with the stored state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is over the request limit (ROZMOVA_MAX_REQUEST_BYTES) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Invalid input; `errors` lists each problem with a JSON pointer */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    revoke_invitation_api_v1_organizations__org_id__invitations__invitation_id__delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org_id: string;
                invitation_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InvitationRead"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found in your organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    get_scenario_api_v1_scenarios__scenario_id__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                scenario_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ScenarioDetail"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found in your organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    delete_scenario_api_v1_scenarios__scenario_id__delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                scenario_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found in your organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    update_scenario_api_v1_scenarios__scenario_id__patch: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                scenario_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ScenarioUpdate"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ScenarioRead"];
                };
            };
            /** @description Malformed JSON (`code: malformed_json`): not JSON, nested too deeply, or a number of thousands of digits */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found in your organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict with the stored state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is over the request limit (ROZMOVA_MAX_REQUEST_BYTES) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Invalid input; `errors` lists each problem with a JSON pointer */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    diff_api_v1_scenarios__scenario_id__diff_get: {
        parameters: {
            query: {
                /** @description Version number, 'live' or 'draft' */
                from: string;
                /** @description Version number, 'live' or 'draft' */
                to?: string;
            };
            header?: never;
            path: {
                scenario_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ScenarioDiff"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found in your organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Invalid input; `errors` lists each problem with a JSON pointer */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    save_draft_api_v1_scenarios__scenario_id__draft_put: {
        parameters: {
            query?: never;
            header: {
                /** @description The draft revision you edited, the ETag of GET /api/v1/scenarios/{scenario_id}, e.g. "3". Missing: 428. */
                "If-Match": string;
            };
            path: {
                scenario_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": Record<string, never>;
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ScenarioDetail"];
                };
            };
            /** @description Malformed request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found in your organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict with the stored state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over the documented limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Invalid input; `errors` lists each problem with a JSON pointer */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A required precondition header is missing */
            428: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    export_api_v1_scenarios__scenario_id__export_get: {
        parameters: {
            query?: {
                /** @description Version number, 'live' or 'draft' */
                version?: string;
            };
            header?: never;
            path: {
                scenario_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExportFile"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found in your organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Invalid input; `errors` lists each problem with a JSON pointer */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    start_preview_api_v1_scenarios__scenario_id__preview_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                scenario_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["PreviewStart"] | null;
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PreviewStarted"];
                };
            };
            /** @description Malformed JSON (`code: malformed_json`): not JSON, nested too deeply, or a number of thousands of digits */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found in your organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict with the stored state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is over the request limit (ROZMOVA_MAX_REQUEST_BYTES) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Invalid input; `errors` lists each problem with a JSON pointer */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Error */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    publish_api_v1_scenarios__scenario_id__publish_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                scenario_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PublishRequest"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PublishedRead"];
                };
            };
            /** @description Malformed JSON (`code: malformed_json`): not JSON, nested too deeply, or a number of thousands of digits */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found in your organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict with the stored state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is over the request limit (ROZMOVA_MAX_REQUEST_BYTES) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Invalid input; `errors` lists each problem with a JSON pointer */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    validate_scenario_api_v1_scenarios__scenario_id__validate_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                scenario_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": Record<string, never>;
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationRead"];
                };
            };
            /** @description Malformed request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found in your organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over the documented limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    list_versions_api_v1_scenarios__scenario_id__versions_get: {
        parameters: {
            query?: {
                limit?: number;
                /** @description Items to skip. */
                offset?: number;
            };
            header?: never;
            path: {
                scenario_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VersionPage"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found in your organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    get_version_api_v1_scenarios__scenario_id__versions__number__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                scenario_id: string;
                /** @description A version number. */
                number: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VersionDetail"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found in your organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    version_models_api_v1_scenarios__scenario_id__versions__number__nlu_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                scenario_id: string;
                /** @description A version number. */
                number: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VersionModels"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found in your organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Invalid input; `errors` lists each problem with a JSON pointer */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    train_version_models_api_v1_scenarios__scenario_id__versions__number__nlu_train_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                scenario_id: string;
                /** @description A version number. */
                number: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VersionModels"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found in your organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Invalid input; `errors` lists each problem with a JSON pointer */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    rollback_api_v1_scenarios__scenario_id__versions__number__rollback_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                scenario_id: string;
                /** @description A version number. */
                number: number;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["RollbackRequest"] | null;
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VersionRead"];
                };
            };
            /** @description Malformed JSON (`code: malformed_json`): not JSON, nested too deeply, or a number of thousands of digits */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found in your organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is over the request limit (ROZMOVA_MAX_REQUEST_BYTES) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Invalid input; `errors` lists each problem with a JSON pointer */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    get_scenario_schema_api_v1_schemas_scenario_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/schema+json": Record<string, never>;
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    list_secrets_api_v1_secrets_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SecretRead"][];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    get_secret_api_v1_secrets__name__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description 1 to 64 ASCII letters, digits and underscores, not starting with a digit; case-sensitive. */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SecretRead"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found in your organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    put_secret_api_v1_secrets__name__put: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description 1 to 64 ASCII letters, digits and underscores, not starting with a digit; case-sensitive. */
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SecretPut"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SecretRead"];
                };
            };
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SecretRead"];
                };
            };
            /** @description Malformed JSON (`code: malformed_json`): not JSON, nested too deeply, or a number of thousands of digits */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict with the stored state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is over the request limit (ROZMOVA_MAX_REQUEST_BYTES) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Invalid input; `errors` lists each problem with a JSON pointer */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    delete_secret_api_v1_secrets__name__delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description 1 to 64 ASCII letters, digits and underscores, not starting with a digit; case-sensitive. */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found in your organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    get_speech_settings_api_v1_speech_settings_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SpeechSettingsRead"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    put_speech_settings_api_v1_speech_settings_put: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SpeechSettingsBody"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SpeechSettingsRead"];
                };
            };
            /** @description Malformed JSON (`code: malformed_json`): not JSON, nested too deeply, or a number of thousands of digits */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is over the request limit (ROZMOVA_MAX_REQUEST_BYTES) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Invalid input; `errors` lists each problem with a JSON pointer */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    list_transcriptions_api_v1_transcriptions_get: {
        parameters: {
            query?: {
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TranscriptionRead"][];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Invalid input; `errors` lists each problem with a JSON pointer */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    upload_api_v1_transcriptions_post: {
        parameters: {
            query?: {
                /** @description uk-UA, en-US, uk, en ...; absent: the engine tells */
                language?: string | null;
                /** @description One of the organization's LLM providers: once transcribed, it writes a report on the recording (`report` in the result), and the organization's notice targets for `recording_report` hear of it. */
                report?: string | null;
                /** @description What the report must say besides the usual (with `report`). */
                instructions?: string | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "audio/*": string;
            };
        };
        responses: {
            /** @description Successful Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TranscriptionRead"];
                };
            };
            /** @description Malformed JSON (`code: malformed_json`): not JSON, nested too deeply, or a number of thousands of digits */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over the documented limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Error */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Invalid input; `errors` lists each problem with a JSON pointer */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    get_transcription_api_v1_transcriptions__transcription_id__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                transcription_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TranscriptionRead"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found in your organization */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Invalid input; `errors` lists each problem with a JSON pointer */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; logged with the request's X-Request-ID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency (the database, Redis) is unavailable; retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    healthz_healthz_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: string;
                    };
                };
            };
        };
    };
    metrics_metrics_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    readyz_readyz_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description A dependency is unreachable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
}
