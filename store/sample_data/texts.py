"""What the sample reporters, advisers and forms say: English, Welsh, Polish and Arabic, emoji, places and people.

Places and people are typed the way people type them: the same library three
ways ("Library, second floor", "library 2nd floor", "the libary"), names with
and without titles; the patterns screen has to find them.
"""

_ENGLISH = (
    "Someone keeps following me after the evening seminar.",
    "It has happened most weeks since October and I don't know who else to tell.",
    "He stands too close when I am at the bench and makes comments about my body.",
    "My line manager shouted at me in front of the whole team again today.",
    "I was told that if I complained it would affect my references.",
    "A group in my flat posts jokes about me in the group chat every night.",
    "I don't want to go to the police, but I don't want it to happen to anyone else.",
    "There were at least four other people there who saw it happen.",
    "I have screenshots of the messages if that helps.",
    "I'm worried that they will work out it was me who reported this.",
    "It happened again on Friday, after the lab meeting.",
    "Sorry this is so long, I've been keeping it in for months.",
    "Can I change tutorial groups without saying why?",
    "I didn't sleep last night. I keep going over it.",
    "Thank you for replying so quickly, it means a lot.",
    "I'd rather not give the name yet, but it's someone senior in the department.",
    "The door to the practice rooms is propped open at night and people wander in.",
    "Is there someone I could talk to in person, somewhere that isn't the department?",
)
_WELSH = (
    "Mae rhywun yn fy nilyn i ar ôl y seminar gyda'r nos.",
    "Dw i ddim eisiau i neb wybod mai fi sy'n ysgrifennu hwn.",
    "Digwyddodd hyn yn y llyfrgell ar yr ail lawr.",
    "Roedd e'n gweiddi arna i o flaen pawb yn y cyfarfod tîm.",
    "Diolch am ymateb mor gyflym, mae'n golygu llawer.",
    "Ydy hi'n bosib siarad â rhywun wyneb yn wyneb?",
    "Mae'n well gen i ysgrifennu yn Gymraeg, os yw hynny'n iawn.",
)
_POLISH = (
    "Ktoś chodzi za mną po wieczornym seminarium.",
    "Nie chcę, żeby ktokolwiek wiedział, że to ja piszę.",
    "To wydarzyło się w bibliotece na drugim piętrze.",
    "Mój współlokator śmieje się ze mnie przy wszystkich i zabiera mi rzeczy.",
    "Dziękuję za szybką odpowiedź, to dla mnie bardzo ważne.",
    "Czy mogę porozmawiać z kimś osobiście? Źle się z tym czuję.",
    "Zażółć gęślą jaźń — przepraszam, piszę z telefonu.",
)
_ARABIC = (
    "شخص ما يتبعني بعد الندوة المسائية.",
    "لا أريد أن يعرف أحد أنني من كتب هذا.",
    "حدث هذا في المكتبة في الطابق الثاني.",
    "كان يصرخ في وجهي أمام الجميع في اجتماع الفريق.",
    "شكراً على الرد السريع، هذا يعني لي الكثير.",
    "هل يمكنني التحدث مع شخص ما وجهاً لوجه؟",
)
_EMOJI = ("😟", "🙏", "👍🏽", "😢", "❤️", "👩‍💻", "👨‍👩‍👧", "🏳️‍🌈", "🧑🏿‍🦯", "🇬🇧", "🇵🇱", "🇺🇦", "🙇‍♀️", "😶‍🌫️")
_REPLIES = (
    "Thank you for telling us. You are in control of what happens next.",
    (
        "I'm sorry this happened. Would it help to talk about support options, "
        "even if you don't want to make a formal complaint?"
    ),
    "We have asked security to check the corridor cameras for that evening.",
    "You can change tutorial groups without giving a reason; I can arrange it if you would like.",
    "Diolch am ysgrifennu atom. Gallwn barhau yn Gymraeg os yw'n well gennych chi.",
    "Dziękujemy za wiadomość. Możemy porozmawiać po polsku przez tłumacza, jeśli Pan/Pani woli.",
    "شكراً لتواصلك معنا. يمكننا ترتيب مترجم إذا كنت تفضل ذلك.",
    "Could you tell us roughly when this happened, and whether anyone else saw it?",
    "We'll keep this case open; write here whenever you are ready.",
    "Is it safe for us to reply here, or would you rather we waited until you write again?",
)
_NOTES = (
    "Called security; they will check the footage from the 3rd floor camera.",
    "Spoke to the head of department without naming the reporter.",
    "Possible link with another case about the same corridor — check the patterns screen.",
    "Handing over to a colleague while I am on leave; everything is in the thread.",
    "Reporter prefers Welsh; replies in Welsh from now on.",
    "Wellbeing team informed (no names).",
    "Waiting for the reporter before doing anything else.",
)
_PLACES = (
    "Library, second floor",
    "library 2nd floor",
    "the libary",
    "Chemistry building, lab 2.14",
    "Student union bar",
    "Halls, block C",
    "Sports centre changing rooms",
    "Bike sheds behind the sports centre",
    "Humanities block, 3rd floor corridor",
    "Llyfrgell, ail lawr",
    "Akademik, pokój 12",
    "مكتبة الجامعة",
    "Online (group chat)",
    "By email",
)
_PEOPLE = (
    "A postgraduate student in the same group",
    "My line manager",
    "An older member of the climbing society",
    "Man, tall, dark jacket",
    "Two students from my flat",
    "Dr J. Morgan",
    "someone senior in the department",
    "Pan Kowalski z akademika",
    "",
    "",
)
_OCCURRED = (
    "Last Tuesday evening",
    "Most weeks since October",
    "Saturday, around midnight",
    "Ongoing",
    "Nos Wener ddiwethaf",
    "W zeszły piątek",
    "",
    "Yesterday after the lab meeting",
)
_NAMES = ("Priya Shah", "Alex", "Rhiannon Pritchard", "Małgorzata Nowak", "Omar Haddad", "Sam Lee")
